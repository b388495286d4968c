# The two commands of the README:
#   make up    engine, OS base image, the offline images, their checks, and a
#              running JupyterLab behind the local dashboard
#   make test  every test, including the engine-backed ones
SHELL := /bin/bash
GO ?= go
BIN := bin/nbkit
# Static binaries: nbkit copies itself into helper containers (see internal/engine).
export CGO_ENABLED = 0

.PHONY: up test deps engine nbkit vet fmt-check clean-engine-leftovers

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

test: engine vet fmt-check nbkit
	$(GO) test -count=1 -timeout 80m ./...
	hack/prune.sh

up: engine nbkit
	$(BIN) bootstrap
	$(BIN) build --offline
	$(BIN) check --profile kubeflow base jupyter codeserver jupyter-scipy jupyter-pytorch
	$(BIN) run jupyter --name demo
