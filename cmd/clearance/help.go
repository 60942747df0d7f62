package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

var errHelp = errors.New("help shown")

// The bundled data the examples run on, from the repository's root.
const (
	exCompany = "corpus/example/company.yaml"
	exExport  = "examples/aws-export"
	exBob     = "arn:aws:iam::111122223333:user/bob"
	exCI      = "arn:aws:iam::444455556666:user/ci"
	exContext = "--context aws:SecureTransport=true --context aws:RequestedRegion=us-east-1"
)

// examples are the command lines each --help shows; every one runs on the
// bundled data from the repository's root (TestHelpExamples runs them).
// A line ending in " \" goes on with the next.
var examples = map[string][]string{
	"worker": {
		"clearance worker --temporal temporal.internal:7233 --task-queue clearance-audit",
	},
	"merge": {
		"clearance merge partials/shard-*.json --format html --out org-audit.html",
	},
	"why": {
		"clearance why --world " + exCompany + " --principal " + exBob + " \\\n    --action s3:PutObject --resource arn:aws:s3:::productionapp/platform/config.json " + exContext,
		"clearance why " + exCompany + " --as arn:aws:iam::111122223333:user/token-app --step 'GetFederationToken name=Carol' \\\n    --action s3:GetObject --resource arn:aws:s3:::productionapp/reports/q3.csv " + exContext + " --format json",
		"clearance why --world " + exExport + " --principal " + exBob + " \\\n    --action s3:GetObject --resource arn:aws:s3:::productionapp/reports/q3.csv " + exContext,
	},
	"reach": {
		"clearance reach --world " + exCompany + " --as " + exCI,
		"clearance reach " + exCompany + " --saml arn:aws:iam::111122223333:saml-provider/corp-idp \\\n    --attr saml:aud=https://signin.aws.amazon.com/saml --format json",
	},
	"can": {
		"clearance can --world " + exCompany + " " + exBob,
		"clearance can " + exCompany + " --as " + exCI + " \\\n    --step 'AssumeRole role=arn:aws:iam::111122223333:role/deploy session=ci-1 external-id=exco-ci-7f3a' --format json",
	},
	"who-can": {
		"clearance who-can --world " + exCompany + " s3:PutObject arn:aws:s3:::productionapp/releases/v2.tgz",
		"clearance who-can " + exExport + " s3:GetObject arn:aws:s3:::productionapp/reports/q3.csv --no-reach --format json",
	},
	"lint": {
		"clearance lint " + exCompany,
		"clearance lint --strict --format json --world " + exExport,
	},
	"audit": {
		"clearance audit " + exCompany,
		"clearance audit " + exExport + "/*",
		"clearance audit --world " + exExport + " --format html --out audit.html",
	},
	"test": {
		"clearance test " + exCompany,
		"clearance test --verbose --format json corpus/example",
	},
	"review": {
		"clearance review --cfn examples/review/cloudformation/template.yaml",
		"clearance review --terraform-plan examples/review/terraform/plan.json --format sarif --out review.sarif",
		"clearance review --world corpus/review/world.yaml --policy corpus/review/policy-attach-self/policy.json \\\n    --attach arn:aws:iam::111111111111:user/dev --fail-on medium",
	},
	"serve": {
		"clearance serve --world " + exCompany,
		"clearance serve " + exExport + " --addr 127.0.0.1:8081",
	},
	"version": {"clearance version"},
}

// newFlags makes a flag set whose --help prints, on stdout, the synopsis,
// what the command does, its flags, examples and the exit codes. A
// command that reads a world gets the input flags, a long one --quiet.
func newFlags(name, synopsis string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stdout)
	if readsWorlds[name] {
		inputFlags(fs)
	}
	if progressStages[name] != nil {
		fs.BoolP("quiet", "q", false, "no progress on standard error")
	}
	if evaluatorCommands[name] {
		evaluatorFlag(fs)
	}
	fs.Usage = func() { helpText(stdout, fs, name, synopsis, exitCodes) }
	return fs
}

// helpText prints a command's --help.
func helpText(w io.Writer, fs *pflag.FlagSet, name, synopsis, codes string) {
	fmt.Fprintf(w, "Usage: clearance %s\n\n", synopsis)
	for _, c := range commands() {
		if c.name == name {
			s := strings.ToUpper(c.summary[:1]) + c.summary[1:]
			if !strings.HasSuffix(s, "?") {
				s += "."
			}
			fmt.Fprintf(w, "%s\n\n", s)
		}
	}
	fmt.Fprint(w, "Flags:\n")
	fs.PrintDefaults()
	if ex := examples[name]; len(ex) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, e := range ex {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprint(w, "\n"+codes)
}

func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	return nil
}
