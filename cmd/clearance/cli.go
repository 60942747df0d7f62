package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/spf13/pflag"
)

// The flags every command spells the same way: --world (or the world as
// the first argument) for what it reads, --format and --out for what it
// prints.

// worldFlag declares --world, repeatable: several files of one world (the
// raw AWS exports of several accounts, as scenario.LoadInputs reads
// them), or for audit and test several worlds.
func worldFlag(fs *pflag.FlagSet) *[]string {
	return fs.StringArray("world", nil, "a scenario file, or an AWS CLI export (a file or folder), to read; repeat it for several exports of one world (the same as naming them first among the arguments)")
}

// oneWorld splits a command's inputs (the files of its one world) from its
// own arguments, of which it takes at most question: the world is --world
// (each), else the first argument, or for a command with no argument of
// its own every argument. Both --world and a world among the arguments is
// a usage error.
func oneWorld(fs *pflag.FlagSet, worlds []string, question int) (inputs, args []string, err error) {
	switch {
	case len(worlds) > 0 && fs.NArg() > question:
		return nil, nil, usageError{fmt.Errorf("the world is given twice: name it with --world or as the first argument, not both (arguments: %s)", strings.Join(fs.Args(), " "))}
	case len(worlds) > 0:
		return slices.Clone(worlds), fs.Args(), nil
	case fs.NArg() == 0:
		return nil, nil, usageError{fmt.Errorf("give the world to read: --world FILE, or FILE as the first argument")}
	case question == 0:
		return slices.Clone(fs.Args()), nil, nil
	}
	// Copies: the caller appends to inputs.
	return slices.Clone(fs.Args()[:1]), fs.Args()[1:], nil
}

// reportFlags are --format, --out and --force of a command that prints a
// report, with the deprecated --output (the format), hidden from --help.
type reportFlags struct {
	fs      *pflag.FlagSet
	formats []string
	format  string
	output  string // deprecated spelling of --format
	out     string
	force   bool
}

// addReportFlags declares them; the first format is the default.
func addReportFlags(fs *pflag.FlagSet, formats ...string) *reportFlags {
	r := &reportFlags{fs: fs, formats: formats}
	fs.StringVar(&r.format, "format", formats[0], "report format: "+orList(formats))
	fs.StringVar(&r.out, "out", "", "write the report to this file instead of standard output (atomically; never over an input of the run)")
	fs.BoolVar(&r.force, "force", false, "let --out follow a symbolic link")
	fs.StringVar(&r.output, "output", "", "deprecated: the same as --format")
	_ = fs.MarkHidden("output") // declared just above
	return r
}

// check takes the deprecated --output's value (saying so on stderr) and
// checks the format.
func (r *reportFlags) check(stderr io.Writer) error {
	flag := "--format"
	if r.fs.Changed("output") {
		fmt.Fprintf(stderr, "clearance %s: --output is deprecated; use --format\n", r.fs.Name())
		if r.fs.Changed("format") && r.format != r.output {
			return usageError{fmt.Errorf("--output %s and --format %s disagree; give --format alone", r.output, r.format)}
		}
		r.format, flag = r.output, "--output"
	}
	if !slices.Contains(r.formats, r.format) {
		return usageError{fmt.Errorf("%s: expected %s, got %q", flag, orList(r.formats), r.format)}
	}
	return nil
}

// checkOut refuses --out, before the work, when it names an input.
func (r *reportFlags) checkOut(inputs []string) error {
	if r.out == "" {
		return nil
	}
	if err := checkOut(r.out, inputs, r.force); err != nil {
		return usageError{err}
	}
	return nil
}

// write writes the report to standard output, or to --out with writeOut.
func (r *reportFlags) write(stdout io.Writer, inputs []string, report func(io.Writer) error) error {
	if r.out == "" {
		return report(stdout)
	}
	return writeOut(r.out, inputs, r.force, report)
}

// orList writes "a, b or c".
func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// flagFiles are the files the named string flags give (those set).
func flagFiles(fs *pflag.FlagSet, names ...string) []string {
	var out []string
	for _, n := range names {
		if v, err := fs.GetString(n); err == nil && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// worldName names a world's inputs in reports ("" for none).
func worldName(inputs []string) string {
	if len(inputs) == 0 {
		return ""
	}
	return scenario.InputsName(inputs)
}
