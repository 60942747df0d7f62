package privesc

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:embed sensitive.json
var rawSensitive []byte

// The lists of Sensitive, as policy_sentry names its audit files.
const (
	CredentialsExposure = "credentials-exposure" // actions that return credentials or tokens
	PrivilegeEscalation = "privilege-escalation" // actions policy_sentry counts as escalation
	ResourceExposure    = "resource-exposure"    // actions that change who may use a resource
)

// SensitiveActions are policy_sentry's audit lists (MIT, Salesforce; see
// LICENSE.policy_sentry), derived by ./gen into sensitive.json: lower-cased
// actions by list.
type SensitiveActions struct {
	Source string              `json:"source"`
	Lists  map[string][]string `json:"lists"`
}

// Sensitive returns the embedded lists, decoded once.
var Sensitive = sync.OnceValues(func() (*SensitiveActions, error) {
	var s SensitiveActions
	if err := json.Unmarshal(rawSensitive, &s); err != nil {
		return nil, fmt.Errorf("sensitive actions: %w", err)
	}
	return &s, nil
})
