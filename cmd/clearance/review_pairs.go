package main

import "fmt"

// policyPairs records --policy FILE, each with the one --attach ARN or
// --resource ARN that follows it, in the order the flags were given
// (pflag calls each flag's Set in command-line order).
type policyPairs struct {
	items []policyItem
}

type policyItem struct{ file, attach, resource string }

// policyFlag is one of the three flags, writing to the shared pairs.
type policyFlag struct {
	p    *policyPairs
	name string
}

func (f policyFlag) String() string { return "" }
func (f policyFlag) Type() string {
	if f.name == "policy" {
		return "FILE"
	}
	return "ARN"
}

// Set pairs the value with the --policy before it.
func (f policyFlag) Set(v string) error {
	p := f.p
	if f.name == "policy" {
		p.items = append(p.items, policyItem{file: v})
		return nil
	}
	if len(p.items) == 0 {
		return fmt.Errorf("--%s %s comes before any --policy: give --policy FILE first", f.name, v)
	}
	last := &p.items[len(p.items)-1]
	if last.attach != "" || last.resource != "" {
		return fmt.Errorf("--policy %s already has its --attach or --resource; --%s %s needs its own --policy before it", last.file, f.name, v)
	}
	if f.name == "attach" {
		last.attach = v
	} else {
		last.resource = v
	}
	return nil
}

// complete checks every --policy got its --attach or --resource.
func (p *policyPairs) complete() error {
	for _, it := range p.items {
		if it.attach == "" && it.resource == "" {
			return fmt.Errorf("--policy %s needs one --attach ARN (an identity policy) or --resource ARN (a resource policy) after it", it.file)
		}
	}
	return nil
}
