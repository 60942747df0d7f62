package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/tree"
)

// motoVectors is ../shared/conformance/moto/derived/policy-validation-vectors.json.
type motoVectors struct {
	Invalid []struct {
		Document     json.RawMessage `json:"document"`
		ErrorMessage string          `json:"error_message"`
	} `json:"invalid"`
	Valid []json.RawMessage `json:"valid"`
}

func loadMotoVectors(t *testing.T) motoVectors {
	t.Helper()
	data, err := os.ReadFile(sharedtest.Path(t, "conformance/moto/derived/policy-validation-vectors.json"))
	if err != nil {
		t.Fatalf("read moto vectors: %v", err)
	}
	var v motoVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decode moto vectors: %v", err)
	}
	return v
}

// motoDocument returns the bytes CreatePolicy would receive: a string
// document is sent as is, anything else as its JSON.
func motoDocument(raw json.RawMessage) []byte {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}

func TestMotoInvalidPolicies(t *testing.T) {
	v := loadMotoVectors(t)
	if len(v.Invalid) != 78 {
		t.Errorf("moto vectors: %d invalid documents, want 78", len(v.Invalid))
	}
	for i, c := range v.Invalid {
		t.Run(fmt.Sprintf("invalid_%02d", i), func(t *testing.T) {
			doc := motoDocument(c.Document)
			err := ValidateCreatePolicy(fmt.Sprintf("moto-invalid-%d.json", i), doc)
			if err == nil {
				t.Fatalf("accepted %s\nwant error %q", doc, c.ErrorMessage)
			}
			var e *tree.Error
			if !errors.As(err, &e) || e.Code != tree.CodeMalformedPolicy {
				t.Errorf("error %v is not a *Error with code %s", err, tree.CodeMalformedPolicy)
			}
			if !strings.Contains(err.Error(), c.ErrorMessage) {
				t.Errorf("document %s\n got error %q\nwant it to contain %q", doc, err, c.ErrorMessage)
			}
		})
	}
}

func TestMotoValidPolicies(t *testing.T) {
	v := loadMotoVectors(t)
	if len(v.Valid) != 54 {
		t.Errorf("moto vectors: %d valid documents, want 54", len(v.Valid))
	}
	for i, raw := range v.Valid {
		t.Run(fmt.Sprintf("valid_%02d", i), func(t *testing.T) {
			doc := motoDocument(raw)
			if err := ValidateCreatePolicy(fmt.Sprintf("moto-valid-%d.json", i), doc); err != nil {
				t.Fatalf("rejected %s: %v", doc, err)
			}
			// The grammar alone accepts them too, as identity policies.
			if _, err := ParsePolicyBytes("moto.json", doc, KindIdentity, "moto"); err != nil {
				t.Errorf("ParsePolicyBytes: %v", err)
			}
		})
	}
}

// TestMotoDateVectors checks ParseDate against the date values of the
// vectors: those of valid documents parse, those named in legacy-parsing
// failures do not.
func TestMotoDateVectors(t *testing.T) {
	for _, s := range []string{"2017-07-01T00:00:00Z", "01T", "2019-07-01T13:20:15Z",
		"2016-12-13T21:20:37.593194+00:00", "2016-12-13t2:00:00.593194+23", "-292275054"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
	for _, s := range []string{"sdfdsf", "234-13", "2016-12-13t2:00:00.593194+1",
		"2016-12-13t2:00:00.1999999999+10:59", "9223372036854775808"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) succeeded, want an error", s)
		}
	}
}
