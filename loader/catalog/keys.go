package catalog

import (
	"sort"
	"strings"
	"sync"
)

// servicePrefixes is servicePrefixList as a set.
var servicePrefixes = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool, len(servicePrefixList))
	for _, p := range servicePrefixList {
		out[p] = true
	}
	return out
})

// KnownService reports whether prefix is a service prefix of the catalog
// (s3, iam, kms, ...), without decoding the catalog: what an ARN's service
// component must name.
func KnownService(prefix string) bool { return servicePrefixes()[prefix] }

// Condition-key value types, as the Service Authorization Reference
// names them.
const (
	TypeString  = "String"
	TypeARN     = "ARN"
	TypeBool    = "Bool"
	TypeDate    = "Date"
	TypeIP      = "IPAddress"
	TypeNumeric = "Numeric"
)

// globalKeyTypes are the global keys that are not strings, with the
// operators the IAM User Guide says each "Works with"
// (reference_policies_condition-keys.html): Boolean, IP address, date,
// numeric and ARN operators. aws:EpochTime works with date and numeric
// operators; both read epoch seconds, so it is Date here.
var globalKeyTypes = map[string]string{
	"aws:multifactorauthpresent": TypeBool, "aws:principalisawsservice": TypeBool,
	"aws:securetransport": TypeBool, "aws:viaawsservice": TypeBool,
	"aws:sourceip": TypeIP, "aws:vpcsourceip": TypeIP, "aws:ec2instancesourceprivateipv4": TypeIP,
	"aws:currenttime": TypeDate, "aws:tokenissuetime": TypeDate, "aws:epochtime": TypeDate,
	"aws:multifactorauthage": TypeNumeric,
	"aws:principalarn":       TypeARN, "aws:sourcearn": TypeARN,
}

// GlobalKeyTypes lists the typed global keys, sorted, for documentation
// and tests.
func GlobalKeyTypes() []string {
	out := make([]string, 0, len(globalKeyTypes))
	for k := range globalKeyTypes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// KeyType returns the value type of a condition key: a global key's from
// the table above, a service key's from the catalog (ArrayOf... types
// name their elements' type). A key the catalog does not know, or a
// String one, is "" (any value fits). The catalog is decoded only for a
// key of a known service other than aws.
func KeyType(key string) string {
	lk := strings.ToLower(key)
	prefix, _, ok := strings.Cut(lk, ":")
	if !ok {
		return ""
	}
	if t, ok := globalKeyTypes[lk]; ok || prefix == "aws" {
		return t
	}
	if !KnownService(prefix) {
		return ""
	}
	c, err := Load()
	if err != nil {
		return ""
	}
	s := c.services[prefix]
	for k, t := range s.Keys {
		if strings.EqualFold(k, key) {
			return typeName(t)
		}
	}
	return ""
}

// typeName maps a catalog type to one of the types above, "" for strings
// and types without a check.
func typeName(t string) string {
	switch t = strings.TrimPrefix(t, "ArrayOf"); t {
	case TypeARN, TypeBool, TypeDate, TypeIP, TypeNumeric:
		return t
	case "Boolean":
		return TypeBool
	}
	return ""
}
