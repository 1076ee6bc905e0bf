# holysheep-k8s — developer entry points. `make demo` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
TOOLS_DIR := $(CURDIR)/.tools
HELM ?= $(shell command -v helm 2>/dev/null || echo $(TOOLS_DIR)/bin/helm)
REGISTRY ?= ghcr.io/holysheep-ai
TAG ?= $(shell sed -n "s/^appVersion: *\"\{0,1\}\([^\"]*\)\"\{0,1\}/\1/p" charts/holysheep-injector/Chart.yaml)
SERVICE ?= holysheep-injector
NAMESPACE ?= holysheep-system
OUT ?= ./certs-out

SIDECAR_JAR := sidecar/target/holysheep-sidecar.jar
WEBHOOK_JAR := webhook/target/holysheep-webhook.jar
SIMULATOR_JAR := e2e/target/holysheep-simulator.jar
CERTS_JAR := certs/target/holysheep-certs.jar
IMAGE_ROOT := sidecar/target/image
# The sidecar image's runtime (and the AOT cache, which only this exact JDK build accepts). The build
# itself runs on the default Java 17.
JAVA25_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64

.PHONY: help build test demo run bench fuzz chaos soak image-root image-check chart-lint certs images fmt tools sdk-deps clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## compile and package every module (skips tests)
	$(MVN) -q install -DskipTests

tools: $(HELM) ## install helm into .tools/ when it is not on PATH

$(TOOLS_DIR)/bin/helm:
	bash charts/install-helm.sh $(TOOLS_DIR)

sdk-deps: e2e/sdk/node_modules ## install the openai npm SDK used by the compatibility test

e2e/sdk/node_modules: e2e/sdk/package.json e2e/sdk/package-lock.json
	cd e2e/sdk && npm ci --no-audit --no-fund
	@touch $@

test: tools sdk-deps ## unit + integration tests, SDK compatibility, chart lint
	$(MVN) install -Dhelm.binary=$(HELM)
	set -o pipefail; cd e2e/sdk && SIDECAR_JAR=$(CURDIR)/$(SIDECAR_JAR) SIMULATOR_JAR=$(CURDIR)/$(SIMULATOR_JAR) node --test | tee $(CURDIR)/e2e/target/sdk-test.txt
	$(MAKE) chart-lint
	bash e2e/test-summary.sh $$(awk '/^# pass /{print $$3}' e2e/target/sdk-test.txt) $$(awk '/^# fail /{print $$3}' e2e/target/sdk-test.txt)

demo: ## no cluster, no key: simulated upstreams, real sidecar, real injection output
	$(MVN) -q install -DskipTests
	bash e2e/demo.sh

run: ## run the sidecar against real HolySheep (needs HOLYSHEEP_API_KEY)
	@if [ -z "$$HOLYSHEEP_API_KEY" ]; then echo "make run: set HOLYSHEEP_API_KEY to your HolySheep API key (https://api.holysheep.ai), e.g. HOLYSHEEP_API_KEY=sk-... make run" >&2; exit 2; fi
	@test -f $(SIDECAR_JAR) || $(MVN) -q install -DskipTests
	java -jar $(SIDECAR_JAR)

bench: ## what the sidecar costs a pod, beside nginx and a direct call (e2e/target/bench/results.md, .json)
	@test -f $(SIDECAR_JAR) -a -f $(SIMULATOR_JAR) || $(MVN) -q install -DskipTests
	$(MAKE) image-root
	bash e2e/bench/run.sh

image-root: $(IMAGE_ROOT)/app/holysheep-sidecar.aot ## the sidecar image's files: jlinked JDK 25, jar, JVM args, trained AOT cache

$(IMAGE_ROOT)/app/holysheep-sidecar.aot: $(SIDECAR_JAR) $(SIMULATOR_JAR) $(wildcard sidecar/image/*)
	JAVA25_HOME=$(JAVA25_HOME) bash sidecar/image/build.sh

FUZZ_CASES ?= 10000
fuzz: ## admission fuzzing over TLS: make fuzz FUZZ_CASES=100000 [FUZZ_SEED=n] (webhook/target/fuzz/)
	$(MVN) -q install -DskipTests -pl webhook -am
	$(MVN) -pl webhook verify -Dit.test=AdmissionFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dholysheep.fuzz.cases=$(FUZZ_CASES) $(if $(FUZZ_SEED),-Dholysheep.fuzz.seed=$(FUZZ_SEED)) \
	  "-Dholysheep.fuzz.command=make fuzz FUZZ_CASES=$(FUZZ_CASES)$(if $(FUZZ_SEED), FUZZ_SEED=$(FUZZ_SEED))"
	@cat webhook/target/fuzz/summary.json

chaos: ## faults under load: 200 req/s for about 2 min through a real sidecar (e2e/target/chaos/), then make fuzz FUZZ_CASES=100000
	$(MVN) -q install -DskipTests
	status=0; java -cp $(SIMULATOR_JAR) ai.holysheep.k8s.e2e.chaos.ChaosMain --out e2e/target/chaos || status=$$?; \
	$(MAKE) fuzz FUZZ_CASES=100000 || status=1; \
	exit $$status

soak: ## 10 minutes at 1k req/s with a fault a minute; sidecar RSS, heap, fds, connections, event-loop delay must not grow (report in e2e/target/soak/)
	$(MVN) -q install -DskipTests
	java -cp $(SIMULATOR_JAR) ai.holysheep.k8s.e2e.soak.SoakMain --out e2e/target/soak

chart-lint: tools ## helm lint + render the chart in its main configurations
	HELM=$(HELM) bash charts/lint.sh

certs: ## write ca.crt, tls.crt, tls.key for manual (files) mode: make certs SERVICE=… NAMESPACE=… OUT=dir
	@test -f $(CERTS_JAR) || $(MVN) -q install -DskipTests -pl certs -am
	java -jar $(CERTS_JAR) --service $(SERVICE) --namespace $(NAMESPACE) --out $(OUT)

images: ## build sidecar and webhook images without a Docker daemon: make images REGISTRY=… TAG=…
	$(MVN) -q install -DskipTests
	$(MAKE) image-root
	$(MVN) -pl sidecar,webhook jib:build -Dimage.registry=$(REGISTRY) -Dimage.tag=$(TAG)

image-check: ## build the sidecar image into a tar (no registry) and run it chrooted: AOT cache accepted, proxies (root)
	@test -f $(SIDECAR_JAR) -a -f $(SIMULATOR_JAR) || $(MVN) -q install -DskipTests
	$(MAKE) image-root
	bash sidecar/image/check.sh

fmt: ## format all Java sources (the build checks formatting)
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean
	rm -rf .demo
