package imagelint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a small valid tree; each case below breaks one thing in it.
func fixture() map[string]string {
	return map[string]string{
		"base/image.yaml": `description: root
from: debian:trixie-slim
ide: none
sources: [debian]
platforms: [linux/amd64, linux/arm64]
binaries: [nbinit]
`,
		"base/Dockerfile": `ARG BASE_IMG=debian:trixie-slim
FROM $BASE_IMG
ARG TARGETARCH
COPY _nbkit/nbinit-${TARGETARCH} /init
COPY rootfs/ /
USER ${NB_UID}
ENTRYPOINT ["/init"]
`,
		"base/rootfs/etc/cont-init.d/01-x": "#!/command/with-contenv bash\ntrue\n",
		"jupyter/image.yaml": `description: child
parent: base
ide: jupyterlab
sources: [debian]
platforms: [linux/amd64, linux/arm64]
`,
		"jupyter/Dockerfile": `ARG BASE_IMG
FROM $BASE_IMG
USER root
RUN apt-get install -y python3-numpy
USER ${NB_UID}
`,
		"jupyter-scipy/image.yaml": `description: scipy
parent: jupyter
ide: jupyterlab
sources: [debian]
platforms: [linux/amd64, linux/arm64]
include: [stack]
`,
		"jupyter-scipy/Dockerfile": `ARG BASE_IMG
FROM $BASE_IMG
USER root
RUN --mount=type=bind,source=_include/stack,target=/tmp/stack /tmp/stack/install.sh
USER 1000
`,
		"_include/stack/install.sh":        "#!/bin/sh\nset -eu\napt-get install -y \\\n  python3-scipy \\\n  python3-pandas\n",
		"_include/extras/install.sh":       "#!/bin/sh\n# pinned next to this script\ncd \"$(dirname \"$0\")\"\npip install --no-cache-dir -r requirements.txt\n",
		"_include/extras/requirements.txt": "# pinned\nkfp==2.15.1\nipympl==0.9.7 # comment\n",
		"jupyter-tensorflow/image.yaml": `description: tf
parent: jupyter
ide: jupyterlab
sources: [pypi]
platforms: [linux/amd64, linux/arm64]
`,
		"jupyter-tensorflow/Dockerfile": `ARG BASE_IMG
FROM $BASE_IMG
ARG TARGETARCH
ARG TF_VERSION=2.20.0
RUN case "${TARGETARCH}" in \
      amd64) url=https://example.org/tf-${TF_VERSION}-x86_64.whl sha256=` + strings.Repeat("a", 64) + ` ;; \
      arm64) url=https://example.org/tf-${TF_VERSION}-aarch64.whl sha256=` + strings.Repeat("b", 64) + ` ;; \
    esac \
 && nbkit-fetch "$url" "$sha256" /tmp/tf.whl \
 && pip install --no-cache-dir /tmp/tf.whl numpy==2.2.0
`,
		"jupyter-tensorflow-full/image.yaml": `description: tf full
parent: jupyter-tensorflow
ide: jupyterlab
sources: [debian, pypi]
platforms: [linux/amd64]
include: [stack, extras]
`,
		"jupyter-tensorflow-full/Dockerfile": `ARG BASE_IMG
FROM $BASE_IMG
USER root
RUN --mount=type=bind,source=_include/stack,target=/tmp/stack /tmp/stack/install.sh
USER ${NB_UID}
RUN --mount=type=bind,source=_include/extras,target=/tmp/extras /tmp/extras/install.sh
RUN --mount=type=bind,source=_include/extras/requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt
`,
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.Contains(name, "cont-init.d") || strings.Contains(name, "services.d") || strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFixtureIsClean(t *testing.T) {
	findings, err := Lint(writeTree(t, fixture()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
}

func TestRules(t *testing.T) {
	sha := strings.Repeat("c", 64)
	tests := []struct {
		name   string
		edit   func(m map[string]string)
		rule   string
		file   string
		substr string
	}{
		{"child hard-codes its parent", func(m map[string]string) {
			m["jupyter/Dockerfile"] = strings.Replace(m["jupyter/Dockerfile"], "FROM $BASE_IMG", "FROM docker.io/library/debian:trixie", 1)
		}, RuleBaseImg, "jupyter/Dockerfile", "FROM docker.io/library/debian:trixie"},
		{"child gives BASE_IMG a default", func(m map[string]string) {
			m["jupyter/Dockerfile"] = strings.Replace(m["jupyter/Dockerfile"], "ARG BASE_IMG", "ARG BASE_IMG=nbkit/base:latest", 1)
		}, RuleBaseImg, "jupyter/Dockerfile", "drop the default"},
		{"no ARG BASE_IMG", func(m map[string]string) {
			m["jupyter/Dockerfile"] = strings.Replace(m["jupyter/Dockerfile"], "ARG BASE_IMG\n", "", 1)
		}, RuleBaseImg, "jupyter/Dockerfile", "no ARG BASE_IMG"},
		{"root ARG disagrees with from:", func(m map[string]string) {
			m["base/Dockerfile"] = strings.Replace(m["base/Dockerfile"], "debian:trixie-slim", "debian:bookworm-slim", 1)
		}, RuleBaseImg, "base/Dockerfile", "ARG BASE_IMG=debian:trixie-slim"},
		{"root image without nbinit", func(m map[string]string) {
			m["base/Dockerfile"] = strings.Replace(m["base/Dockerfile"], "COPY _nbkit/nbinit-${TARGETARCH} /init\n", "", 1)
		}, RuleNBInit, "base/Dockerfile", "COPY _nbkit/nbinit-${TARGETARCH} /init"},
		{"copies a binary image.yaml does not list", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "COPY _nbkit/nbproxy-${TARGETARCH} /usr/local/bin/nbproxy\n"
		}, RuleNBInit, "jupyter/Dockerfile", "add nbproxy to binaries"},
		{"lists a binary it never copies", func(m map[string]string) {
			m["jupyter/image.yaml"] += "binaries: [nbproxy]\n"
		}, RuleNBInit, "jupyter/Dockerfile", "never copies _nbkit/nbproxy-${TARGETARCH}"},
		{"nbinit not the entrypoint", func(m map[string]string) {
			m["base/Dockerfile"] = strings.Replace(m["base/Dockerfile"], `ENTRYPOINT ["/init"]`, `ENTRYPOINT ["/usr/bin/tini", "--"]`, 1)
		}, RuleNBInit, "base/Dockerfile", "not the entrypoint"},
		{"Dockerfile does not parse", func(m map[string]string) {
			m["jupyter/Dockerfile"] = "# only a comment\n"
		}, RuleParse, "jupyter/Dockerfile", "does not parse"},
		{"ends as root", func(m map[string]string) {
			m["jupyter/Dockerfile"] = strings.Replace(m["jupyter/Dockerfile"], "USER ${NB_UID}", "USER root", 1)
		}, RuleUser, "jupyter/Dockerfile", "the last USER is root"},
		{"rootfs not copied", func(m map[string]string) {
			m["base/Dockerfile"] = strings.Replace(m["base/Dockerfile"], "COPY rootfs/ /\n", "", 1)
		}, RuleRootfs, "base/Dockerfile", "COPY rootfs/ /"},
		{"CRLF cont-init script", func(m map[string]string) {
			m["base/rootfs/etc/cont-init.d/01-x"] = "#!/command/with-contenv bash\r\ntrue\r\n"
		}, RuleRootfs, "base/rootfs/etc/cont-init.d/01-x", "CRLF"},
		{"script without shebang", func(m map[string]string) {
			m["base/rootfs/etc/services.d/web/run"] = "exec web\n"
		}, RuleRootfs, "base/rootfs/etc/services.d/web/run", "no #! line"},
		{"download without checksum", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN curl -fsSLo /tmp/x.tgz https://example.org/x-1.2.3.tgz && tar xf /tmp/x.tgz\n"
		}, RulePin, "jupyter/Dockerfile", "no sha256 next to it"},
		{"checksum written but not verified", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN curl -fsSLo /tmp/x.tgz https://example.org/x-1.2.3.tgz # " + sha + "\n"
		}, RulePin, "jupyter/Dockerfile", "without verifying"},
		{"download without version", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN nbkit-fetch https://example.org/latest/x.tgz " + sha + " /tmp/x.tgz\n"
		}, RuleVersion, "jupyter/Dockerfile", "never latest"},
		{"ADD of a URL", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "ADD https://example.org/x-1.2.3.tgz /tmp/\n"
		}, RulePin, "jupyter/Dockerfile", "ADD https://example.org/x-1.2.3.tgz"},
		{"a platform without its file", func(m map[string]string) {
			df := m["jupyter-tensorflow/Dockerfile"]
			i := strings.Index(df, "      arm64)")
			j := strings.Index(df, "    esac")
			m["jupyter-tensorflow/Dockerfile"] = df[:i] + df[j:]
		}, RuleArch, "jupyter-tensorflow/Dockerfile", "pins no arm64 file"},
		{"checksum only from a build arg", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "ARG X_SHA256\nRUN nbkit-fetch https://example.org/x-1.2.3.sh \"${X_SHA256}\" /tmp/x.sh\n"
		}, RuleUnverified, "jupyter/Dockerfile", "build argument X_SHA256"},
		{"unpinned pip install", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN pip install --no-cache-dir pandas\n"
		}, RulePip, "jupyter/Dockerfile", "pip install pandas is not pinned"},
		{"pip --user", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN pip install --user pandas==2.2.3\n"
		}, RulePip, "jupyter/Dockerfile", "--user"},
		{"unverified extra index", func(m map[string]string) {
			m["jupyter/Dockerfile"] += "RUN pip install --extra-index-url https://download.pytorch.org/whl/cu128 torch==2.7.0 # " + sha + "\n"
		}, RulePip, "jupyter/Dockerfile", "--require-hashes"},
		{"unpinned requirements line of a shared folder", func(m map[string]string) {
			m["_include/extras/requirements.txt"] += "bokeh>=3\n"
		}, RulePip, "_include/extras/requirements.txt", `"bokeh>=3" is not pinned`},
		{"unpinned pip install in a shared script", func(m map[string]string) {
			m["_include/extras/install.sh"] += "pip install \\\n  pandas\n"
		}, RulePip, "_include/extras/install.sh", "pip install pandas is not pinned"},
		{"unpinned download in a shared script", func(m map[string]string) {
			m["_include/stack/install.sh"] += "curl -fsSLo /tmp/x.tgz https://example.org/x-1.2.3-x86_64.tgz\n"
		}, RulePin, "_include/stack/install.sh", "no sha256 next to it"},
		{"Dockerfile reads a shared folder it does not include", func(m map[string]string) {
			m["jupyter-scipy/Dockerfile"] += "COPY _include/extras/requirements.txt /tmp/\n"
		}, RuleInclude, "jupyter-scipy/Dockerfile", "add extras to include"},
		{"includes a shared folder it never reads", func(m map[string]string) {
			m["jupyter-tensorflow-full/Dockerfile"] = strings.Replace(m["jupyter-tensorflow-full/Dockerfile"], "RUN --mount=type=bind,source=_include/stack,target=/tmp/stack /tmp/stack/install.sh\n", "", 1)
		}, RuleInclude, "jupyter-tensorflow-full/Dockerfile", "includes stack but the Dockerfile never reads _include/stack/"},
		{"unknown include", func(m map[string]string) {
			m["jupyter-scipy/image.yaml"] = strings.Replace(m["jupyter-scipy/image.yaml"], "include: [stack]", "include: [stak]", 1)
		}, RuleCatalog, "jupyter-scipy/image.yaml", `field include: unknown include "stak"`},
		{"unknown parent", func(m map[string]string) {
			m["jupyter/image.yaml"] = strings.Replace(m["jupyter/image.yaml"], "parent: base", "parent: bsae", 1)
		}, RuleCatalog, "jupyter/image.yaml", `field parent: unknown image "bsae"`},
		{"cycle", func(m map[string]string) {
			m["base/image.yaml"] = strings.Replace(m["base/image.yaml"], "from: debian:trixie-slim", "parent: jupyter-scipy", 1)
		}, RuleCatalog, "base/image.yaml", "cycle: base -> jupyter-scipy -> jupyter -> base"},
		{"parent and from", func(m map[string]string) {
			m["jupyter/image.yaml"] += "from: debian:trixie-slim\n"
		}, RuleCatalog, "jupyter/image.yaml", "both parent and from are set"},
		{"misspelt field", func(m map[string]string) {
			m["jupyter/image.yaml"] += "platfroms: [linux/amd64]\n"
		}, RuleCatalog, "jupyter/image.yaml", "platfroms"},
		{"Dockerfile still checked when its image.yaml has a typo", func(m map[string]string) {
			m["jupyter/image.yaml"] += "platfroms: [linux/amd64]\n"
			m["jupyter/Dockerfile"] = strings.Replace(m["jupyter/Dockerfile"], "USER ${NB_UID}", "USER root", 1)
		}, RuleUser, "jupyter/Dockerfile", "the last USER is root"},
		{"unknown source", func(m map[string]string) {
			m["jupyter/image.yaml"] = strings.Replace(m["jupyter/image.yaml"], "sources: [debian]", "sources: [debian, conda]", 1)
		}, RuleCatalog, "jupyter/image.yaml", `unknown source "conda"`},
		{"platform the parent lacks", func(m map[string]string) {
			m["jupyter/image.yaml"] = strings.Replace(m["jupyter/image.yaml"], "[linux/amd64, linux/arm64]", "[linux/amd64]", 1)
		}, RuleCatalog, "jupyter-scipy/image.yaml", "linux/arm64 is not built by parent jupyter"},
		{"nbinit on a child", func(m map[string]string) {
			m["jupyter/image.yaml"] += "binaries: [nbinit]\n"
		}, RuleCatalog, "jupyter/image.yaml", "only the root image (the one with from) carries nbinit"},
		{"parent differs from the design", func(m map[string]string) {
			m["jupyter-scipy/image.yaml"] = strings.Replace(m["jupyter-scipy/image.yaml"], "parent: jupyter", "parent: base", 1)
		}, RuleTree, "jupyter-scipy/image.yaml", `the tree says "jupyter"`},
		{"offline image gets a vendor source", func(m map[string]string) {
			m["jupyter/image.yaml"] = strings.Replace(m["jupyter/image.yaml"], "sources: [debian]", "sources: [debian, pypi]", 1)
		}, RuleTree, "jupyter-scipy/image.yaml", "offline-buildable is false"},
		{"folder not in the design", func(m map[string]string) {
			m["jupyter-julia/image.yaml"] = strings.Replace(m["jupyter/image.yaml"], "parent: base", "parent: jupyter", 1)
			m["jupyter-julia/Dockerfile"] = m["jupyter/Dockerfile"]
		}, RuleTree, "jupyter-julia/image.yaml", "not in the image tree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fixture()
			tt.edit(m)
			findings, err := Lint(writeTree(t, m))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if f.Rule == tt.rule && f.File == tt.file && strings.Contains(f.Msg, tt.substr) {
					return
				}
			}
			t.Errorf("no [%s] finding in %s containing %q; got:", tt.rule, tt.file, tt.substr)
			for _, f := range findings {
				t.Log(f)
			}
		})
	}
}

func TestNonExecutableScript(t *testing.T) {
	dir := writeTree(t, fixture())
	p := filepath.Join(dir, "base/rootfs/etc/cont-init.d/01-x")
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := Lint(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Rule == RuleRootfs && strings.Contains(f.Msg, "not executable") {
			return
		}
	}
	t.Errorf("no finding for a non-executable cont-init script; got %v", findings)
}
