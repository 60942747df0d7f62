package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
)

func runReach(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reach", "reach (--world FILE... | FILE...) (--as ARN | --saml PROVIDER | --oidc PROVIDER | --cognito POOL | --chain FILE) [flags]", stdout)
	worlds := worldFlag(fs)
	as := fs.String("as", "", "starting IAM user or root ARN")
	saml := fs.String("saml", "", "start as an outside SAML identity of this IAM SAML provider ARN")
	oidc := fs.String("oidc", "", "start as an outside web identity of this provider (IAM OIDC provider ARN or host, accounts.google.com, ...)")
	pool := fs.String("cognito", "", "start as an identity of this Cognito identity pool (enhanced flow)")
	authed := fs.Bool("authenticated", false, "with --cognito: an authenticated identity")
	logins := fs.StringSlice("login", nil, "with --cognito: login providers of the authenticated identity")
	attrs := fs.StringArray("attr", nil, "with --saml: assertion key=value, e.g. saml:aud=https://signin.aws.amazon.com/saml")
	claims := fs.StringArray("claim", nil, "with --oidc or --cognito: token claim key=value")
	chainFile := fs.String("chain", "", "file holding the starting chain (as, steps)")
	depth := fs.Int("depth", sts.DefaultReachDepth, "most hops to follow")
	report := addReportFlags(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs, _, err := oneWorld(fs, *worlds, 0)
	if err != nil {
		fs.Usage()
		return err
	}
	if err := report.check(stderr); err != nil {
		return err
	}
	start, err := reachStart(*as, *saml, *oidc, *pool, *authed, *logins, *attrs, *claims, *chainFile)
	if err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	sc, e, err := openInputs(ctx, fs, inputs)
	if err != nil {
		return err
	}
	read := append(append(inputs, sc.World.Sources...), flagFiles(fs, "chain")...)
	if err := report.checkOut(read); err != nil {
		return err
	}
	reached, err := sts.New(e).ReachProgress(ctx, start, *depth, progressFor(fs, stderr).fn())
	if err != nil {
		return err
	}
	return report.write(stdout, read, func(w io.Writer) error {
		if report.format == "json" {
			return writeJSON(w, reached)
		}
		render.Reached(w, reached)
		return nil
	})
}

// reachStart builds the starting chain from the flags: exactly one start.
func reachStart(as, saml, oidc, pool string, authed bool, logins, attrs, claims []string, file string) (*sts.Chain, error) {
	given := 0
	for _, s := range []string{as, saml, oidc, pool, file} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return nil, fmt.Errorf("give exactly one of --as, --saml, --oidc, --cognito, --chain")
	}
	if file != "" {
		return chainOf("", nil, file)
	}
	if as != "" {
		return &sts.Chain{As: as}, nil
	}
	attrMap, err := keyValues("--attr", attrs)
	if err != nil {
		return nil, err
	}
	claimMap, err := keyValues("--claim", claims)
	if err != nil {
		return nil, err
	}
	var st *sts.Step
	switch {
	case saml != "":
		st = &sts.Step{Op: sts.OpAssumeRoleWithSAML, Provider: saml, Claims: attrMap}
	case oidc != "":
		st = &sts.Step{Op: sts.OpAssumeRoleWithWebID, Provider: oidc, Claims: claimMap}
	default:
		st = &sts.Step{Op: sts.OpCognitoCredentials, Pool: pool, Authed: authed, Logins: logins, Claims: claimMap}
	}
	return &sts.Chain{Steps: []*sts.Step{st}}, nil
}

func keyValues(flag string, pairs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, fmt.Errorf("%s %q: expected key=value", flag, p)
		}
		out[k] = listOrString(v)
	}
	return out, nil
}
