package main

import (
	"fmt"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// readsWorlds are the commands that read a world, and so take the flags
// that say what a world may read.
var readsWorlds = map[string]bool{"why": true, "can": true, "who-can": true, "reach": true,
	"audit": true, "lint": true, "serve": true, "test": true, "review": true}

// inputFlags declares --allow-path and --max-input-size on a command that
// reads worlds.
func inputFlags(fs *pflag.FlagSet) {
	fs.StringArray("allow-path", nil, "a folder besides the world file's own whose files the world may name (repeatable); nothing outside them is read")
	fs.String("max-input-size", humanize.IBytes(uint64(files.DefaultMaxSize)), "the largest file Clearance reads (e.g. 10MiB)")
}

// inputOptions reads those flags.
func inputOptions(fs *pflag.FlagSet) (scenario.Options, error) {
	var opts scenario.Options
	allow, err := fs.GetStringArray("allow-path")
	if err != nil {
		return opts, nil // a command that reads no world
	}
	opts.AllowPaths = allow
	size, _ := fs.GetString("max-input-size")
	n, err := humanize.ParseBytes(size)
	if err != nil || n == 0 || n > 1<<40 {
		return opts, fmt.Errorf("--max-input-size: expected a size such as 10MiB or 500MB, got %q", size)
	}
	opts.MaxInputSize = int64(n)
	return opts, nil
}
