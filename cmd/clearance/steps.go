package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine/sts"
)

// parseStep reads a --step value: the STS operation, then key=value
// parameters, e.g.
//
//	AssumeRole role=ARN session=NAME external-id=X mfa=true policy=@file.json
//	  policy-arns=A,B tags=k=v,k2=v2 transitive-tag-keys=k source-identity=S duration=3600
//	  region=eu-west-1 (the STS endpoint's Region; default us-east-1, the global endpoint)
//	AssumeRoleWithSAML role=ARN provider=ARN session=NAME attr.saml:aud=URL
//	  session-not-on-or-after=2026-01-01T13:00:00Z
//	AssumeRoleWithWebIdentity role=ARN provider=HOST session=S claim.aud=X claim.amr=[a,b]
//	CognitoGetCredentials pool=ID authenticated=true logins=graph.facebook.com
//
// It is decoded by the same code as a scenario file's chain steps.
func parseStep(n int, s string) (*sts.Step, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, fmt.Errorf("--step %d: empty; expected OPERATION key=value ...", n)
	}
	body := map[string]any{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("--step %d: %q: expected key=value", n, f)
		}
		if err := setParam(body, k, v); err != nil {
			return nil, fmt.Errorf("--step %d: %s: %w", n, k, err)
		}
	}
	raw, err := json.Marshal(map[string]any{fields[0]: body})
	if err != nil {
		return nil, err
	}
	return sts.DecodeStep(fmt.Sprintf("--step %d", n), raw)
}

func setParam(body map[string]any, k, v string) error {
	key := strings.ReplaceAll(k, "-", "_")
	switch {
	case strings.HasPrefix(k, "attr.") || strings.HasPrefix(k, "claim."):
		group := map[bool]string{true: "attributes", false: "claims"}[strings.HasPrefix(k, "attr.")]
		m, _ := body[group].(map[string]any)
		if m == nil {
			m = map[string]any{}
			body[group] = m
		}
		m[k[strings.Index(k, ".")+1:]] = listOrString(v)
	case key == "mfa" || key == "authenticated":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("expected true or false, got %q", v)
		}
		body[key] = b
	case key == "duration":
		d, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("expected seconds, got %q", v)
		}
		body[key] = d
	case key == "policy_arns" || key == "transitive_tag_keys" || key == "logins":
		body[key] = strings.Split(v, ",")
	case key == "tags":
		return setTags(body, v)
	case key == "policy":
		return setPolicy(body, v)
	default:
		body[key] = v
	}
	return nil
}

func listOrString(v string) any {
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		return strings.Split(strings.Trim(v, "[]"), ",")
	}
	return v
}

func setTags(body map[string]any, v string) error {
	tags := map[string]string{}
	for _, kv := range strings.Split(v, ",") {
		tk, tv, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("expected key=value,key=value, got %q", kv)
		}
		tags[tk] = tv
	}
	body["tags"] = tags
	return nil
}

// setPolicy reads policy=@FILE (JSON or YAML) or an inline JSON document.
func setPolicy(body map[string]any, v string) error {
	file, data := "policy", []byte(v)
	if strings.HasPrefix(v, "@") {
		file = v[1:]
		var err error
		if data, err = os.ReadFile(file); err != nil {
			return err
		}
	}
	doc, err := sts.DocumentJSON(file, data)
	if err != nil {
		return err
	}
	body["policy"] = json.RawMessage(doc)
	return nil
}

// chainFlags declares --as, --step and --chain on fs; the function it
// returns builds the chain they give (nil without one) once fs is parsed.
func chainFlags(fs *pflag.FlagSet) func() (*sts.Chain, error) {
	as := fs.String("as", "", "start a chain from this IAM user or root ARN (with --step)")
	steps := fs.StringArray("step", nil, "an STS step of the chain, e.g. 'AssumeRole role=ARN session=NAME external-id=X policy=@file.json' (repeat, in order)")
	file := fs.String("chain", "", "file holding a chain (as, time, steps), instead of --as/--step")
	at := fs.String("chain-time", "", "when the chain is walked and its sessions issued (RFC 3339); default the request's time (--time), else now")
	return func() (*sts.Chain, error) {
		c, err := chainOf(*as, *steps, *file)
		if err != nil || *at == "" {
			return c, err
		}
		if c == nil {
			return nil, fmt.Errorf("--chain-time needs a chain (--as/--step or --chain)")
		}
		if !c.Time.IsZero() {
			return nil, fmt.Errorf("--chain-time: the chain file gives its own time")
		}
		if c.Time, err = parseTime("chain-time", *at); err != nil {
			return nil, err
		}
		return c, nil
	}
}
