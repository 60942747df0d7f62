// Package browsertest drives the console's page (server/web) in headless
// Chromium, over a real server on loopback: the tests load the page, ask,
// edit a policy in What if, cancel a long who-can, and follow the audit's
// links. Chromium is Debian's chromium package (.ci/run installs it);
// without it the tests skip locally and fail when CI is set.
//
// With CLEARANCE_SCREENSHOTS=DIR, TestScreenshots writes a PNG of each
// view on corpus/example/company.yaml to DIR (make screenshots).
package browsertest
