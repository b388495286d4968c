package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
)

// pipProbeScript runs inside the container as the notebook user and reports
// what `pip install` would decide, without installing anything: pip installs
// into purelib unless user mode is forced (PIP_USER, pip.conf) or purelib is
// not writable, in which case it "defaults to user installation" — in
// ~/.local, on the PVC, where it shadows the image's packages forever.
const pipProbeScript = `
import json, os, shutil, subprocess, sys, sysconfig, site
out = {"python": sys.executable, "prefix": sys.prefix}
try:
    import pip
    out["pip"] = pip.__version__
except Exception:
    out["pip"] = ""
if out["pip"]:
    purelib = sysconfig.get_paths()["purelib"]
    out["purelib"] = purelib
    out["writable"] = os.access(purelib, os.W_OK)
    out["user_site"] = site.USER_SITE or ""
    out["pip_on_path"] = shutil.which("pip") or ""
    out["pip_user_env"] = os.environ.get("PIP_USER", "")
    r = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True)
    out["config"] = r.stdout
print(json.dumps(out))
`

type pipProbe struct {
	Python     string `json:"python"`
	Prefix     string `json:"prefix"`
	Pip        string `json:"pip"`
	Purelib    string `json:"purelib"`
	Writable   bool   `json:"writable"`
	UserSite   string `json:"user_site"`
	PipOnPath  string `json:"pip_on_path"`
	PipUserEnv string `json:"pip_user_env"`
	Config     string `json:"config"`
}

const pipFix = "create a venv outside the home (`python3 -m venv --system-site-packages /opt/venv`), make it writable by the notebook user (chown 1000:0, chmod g+w) and put /opt/venv/bin first on PATH"

// judgePip reads the probe's JSON output.
func judgePip(out []byte, home string) Outcome {
	var p pipProbe
	if err := json.Unmarshal(out, &p); err != nil {
		return broken(fmt.Errorf("reading the pip probe's answer %q: %w", truncate(out, 200), err))
	}
	if p.Pip == "" {
		return notApplicable("%s has no pip module: nothing to install with", p.Python)
	}
	if truthy(p.PipUserEnv) {
		return violation("PIP_USER=%s is set, so `pip install` writes to %s on the home volume, where it shadows the image's packages after every image update; unset it and %s", p.PipUserEnv, p.UserSite, pipFix)
	}
	for line := range strings.SplitSeq(p.Config, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && (k == "global.user" || k == "install.user") && truthy(strings.Trim(v, `'"`)) {
			return violation("pip config sets %s=%s, so `pip install` writes to %s on the home volume; remove it and %s", k, v, p.UserSite, pipFix)
		}
	}
	if !p.Writable {
		return violation("%s (pip %s, %s) is not writable by the notebook user, so `pip install` falls back to %s on the home volume; %s", p.Purelib, p.Pip, p.Python, p.UserSite, pipFix)
	}
	if home != "" && strings.HasPrefix(p.Purelib, home+"/") {
		return violation("pip installs into %s, inside the home volume; %s", p.Purelib, pipFix)
	}
	return pass("`pip install` targets %s (pip %s, %s)", p.Purelib, p.Pip, p.Python).with("purelib", p.Purelib)
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
