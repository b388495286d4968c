# The two commands of the README:
#   make up    engine, OS base image, the offline images, their checks, and a
#              running JupyterLab behind the local dashboard
#   make test  every test, including the engine-backed ones
SHELL := /bin/bash
GO ?= go
BIN := bin/nbkit
# Static binaries: nbkit copies itself into helper containers (see internal/engine).
export CGO_ENABLED = 0

.PHONY: up test deps engine nbkit images vet fmt-check fuzz

# Build steps reach npm through the host's TLS-intercepting proxy (or a corporate
# one): hand the host's CA bundle to the steps that need it. It is a BuildKit
# secret, never part of an image. Override with CA_BUNDLE= to pass none.
CA_BUNDLE ?= $(wildcard /etc/ssl/certs/ca-certificates.crt)
OFFLINE_IMAGES := base jupyter codeserver jupyter-scipy jupyter-pytorch

nbkit:
	$(GO) build -o $(BIN) ./cmd/nbkit

deps:
	hack/deps.sh

engine: deps
	hack/engine-up.sh

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# The OS base from a Debian mirror, then every image buildable from Debian and
# npm alone; images whose inputs did not change are reused in seconds.
images: engine nbkit
	$(BIN) bootstrap
	$(BIN) build --offline $(if $(CA_BUNDLE),--ca-bundle $(CA_BUNDLE))

# Everything the tests create in the engine carries this run's id; the prune
# after them removes exactly that, whether they pass or not, and never a
# notebook or home volume of the user's own `nbkit run`.
test: export NBKIT_RUN_ID := test-$(shell date +%s)-$(shell od -An -N4 -tx4 /dev/urandom | tr -d ' ')
test: vet fmt-check images
	$(GO) test -count=1 -timeout 75m ./... ; rc=$$?; \
	  hack/fuzz.sh || rc=1; \
	  hack/prune.sh "$$NBKIT_RUN_ID"; exit $$rc

# Every fuzz target for FUZZTIME each (default 10s); make test runs it too.
fuzz:
	hack/fuzz.sh

up: images
	$(BIN) check --profile kubeflow $(addprefix nbkit/,$(addsuffix :latest,$(OFFLINE_IMAGES)))
	$(BIN) run nbkit/jupyter:latest --name demo
