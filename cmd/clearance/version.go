package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// runVersion prints Clearance's version (the module version, or the VCS
// revision it was built from), the Go toolchain and the OPA version that
// evaluates the decision logic.
func runVersion(args []string, stdout, _ io.Writer) error {
	fs := newFlags("version", "version", stdout)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return usageError{fmt.Errorf("version takes no arguments")}
	}
	fmt.Fprintln(stdout, versionLine())
	return nil
}

func versionLine() string {
	version, revision, modified, opa := "(devel)", "", false, "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/open-policy-agent/opa" {
				opa = d.Version
			}
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified {
		revision += "+modified"
	}
	line := "clearance " + version
	if revision != "" {
		line += " (" + revision + ")"
	}
	return fmt.Sprintf("%s %s/%s, OPA %s", line+",", runtime.Version(), runtime.GOARCH, opa)
}
