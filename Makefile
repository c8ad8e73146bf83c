# Aliases for what CI and the README run. Nothing here that .ci/run or the
# README does not also do.
GO       ?= go
IMAGE    ?= scimulator:dev
REPORTS  ?= scimulator-report

.PHONY: run test serve conformance bench image lint clean mutants

run:          ## run the conformance suite against the embedded reference server
	$(GO) run ./cmd/scimulator run --report-dir $(REPORTS)

test:         ## unit tests, the suite under go test, container tests where Docker runs
	$(GO) test -race ./...

serve:        ## start the reference server on 127.0.0.1:8080 with SCIM enabled
	$(GO) run ./cmd/scimulator serve --enable-scim --log-format console

conformance:  ## the suite alone, under go test
	$(GO) test -race -run TestConformance -v .

mutants:      ## mutation analysis of reference/ driven by the suite; FILES=glob,glob to limit it
	$(GO) run ./cmd/scimulator selftest --mutants $(if $(FILES),--files '$(FILES)')

bench:        ## benchmarks: reference server throughput, suite wall time
	$(GO) test -run '^$$' -bench . -benchmem ./...

image:        ## a FROM scratch image of the static binary, no registry needed
	rm -rf bin/image && mkdir -p bin/image
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o bin/image/scimulator ./cmd/scimulator
	printf '%s\n' 'FROM scratch' 'COPY scimulator /scimulator' 'USER 65534:65534' 'EXPOSE 8080' \
	  'ENTRYPOINT ["/scimulator", "serve", "--addr", "0.0.0.0:8080"]' > bin/image/Dockerfile
	docker build --label org.opencontainers.image.title=scimulator --label org.scimulator.managed=true -t $(IMAGE) bin/image

lint:         ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

clean:        ## remove build output, reports, leaked test containers and the images scimulator built
	rm -rf bin $(REPORTS)
	-docker ps -aq --filter label=org.scimulator.managed=true | xargs -r docker rm -f
	-docker images -q --filter label=org.scimulator.managed=true | sort -u | xargs -r docker rmi -f
