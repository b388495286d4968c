package conformance

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
)

const basePasswd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
const baseGroup = "root:x:0:\nusers:x:100:jovyan\nnogroup:x:65534:\n"

// filesOf builds an imageFiles from a tar of the given entries, as both
// drivers do from their archives.
func filesOf(t *testing.T, entries ...*tar.Header) *imageFiles {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		body := h.Linkname // the body rides in Linkname for brevity
		h.Linkname = ""
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	f := newImageFiles()
	if err := f.add(&buf, "/"); err != nil {
		t.Fatal(err)
	}
	return f
}

func file(name, body string, mode int64, uid, gid int) *tar.Header {
	return &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: mode, Uid: uid, Gid: gid, Linkname: body}
}

func TestCheckUser(t *testing.T) {
	jovyan := "jovyan:x:1000:0::/home/jovyan:/bin/bash\n"
	tests := []struct {
		name, passwd, user string
		want               verdict
		msg                string
	}{
		{"jovyan by uid", basePasswd + jovyan, "1000", vPass, "primary group 0 (root)"},
		{"jovyan by name", basePasswd + jovyan, "jovyan", vPass, "uid 1000"},
		{"jovyan gid 100", basePasswd + "jovyan:x:1000:100::/home/jovyan:/bin/bash\n", "1000", vPass, "gid 0 is recommended"},
		{"no USER", basePasswd + jovyan, "", vViolation, "runs as root"},
		{"root by name", basePasswd + jovyan, "root", vViolation, "runs as root"},
		{"wrong uid", basePasswd + "jovyan:x:1001:0::/home/jovyan:/bin/bash\n", "jovyan", vViolation, "uid 1001"},
		{"wrong home", basePasswd + "jovyan:x:1000:0::/home/user:/bin/bash\n", "1000", vViolation, `"/home/user"`},
		{"other name", basePasswd + "user:x:1000:0::/home/jovyan:/bin/bash\n", "1000", vViolation, "resolves to user"},
		{"uid without entry", basePasswd, "1000", vViolation, "(no passwd entry)"},
		{"unknown name", basePasswd, "jovyan", vViolation, "not in the image's /etc/passwd"},
		{"uid:gid", basePasswd + jovyan, "1000:100", vPass, "primary group 100 (users)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filesOf(t, file("etc/passwd", tt.passwd, 0o644, 0, 0), file("etc/group", baseGroup, 0o644, 0, 0))
			o := checkUser(f, tt.user)
			if o.verdict != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Errorf("got %d %q; want %d containing %q", o.verdict, o.Message, tt.want, tt.msg)
			}
		})
	}
	if o := checkUser(filesOf(t), "1000"); o.verdict != vViolation || !strings.Contains(o.Message, "no /etc/passwd") {
		t.Errorf("image without passwd: %d %q", o.verdict, o.Message)
	}
}

func TestResolveUserGroups(t *testing.T) {
	ru := resolveUser("jovyan", []byte(basePasswd+"jovyan:x:1000:0::/home/jovyan:/bin/bash\n"), []byte(baseGroup))
	if ru.UID != 1000 || ru.GID != 0 || len(ru.Groups) != 1 || ru.Groups[0] != 100 {
		t.Errorf("resolved %+v, want uid 1000 gid 0 groups [100]", ru)
	}
}

func TestCheckInitFiles(t *testing.T) {
	ru := runUser{UID: 1000, GID: 0, Groups: []int{100}, Known: true}
	dir := func(name string, uid int) *tar.Header {
		return &tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755, Uid: uid}
	}
	tests := []struct {
		name    string
		entries []*tar.Header
		want    verdict
		msg     string
	}{
		{"none", nil, vPass, "no start-up scripts"},
		{"root-owned 0755", []*tar.Header{file("etc/cont-init.d/10-a", "#!/bin/sh\n", 0o755, 0, 0)}, vPass, "1 start-up scripts"},
		{"root-owned 0744", []*tar.Header{file("etc/cont-init.d/10-a", "#!/bin/sh\n", 0o744, 0, 0)}, vViolation, "/etc/cont-init.d/10-a (mode 0744"},
		{"group 0 executable", []*tar.Header{file("etc/cont-init.d/10-a", "", 0o750, 0, 0)}, vPass, ""},
		{"group users, g-x", []*tar.Header{file("etc/cont-init.d/10-a", "", 0o745, 0, 100)}, vViolation, "10-a"},
		{"service run", []*tar.Header{dir("etc/services.d/jupyter/", 0), file("etc/services.d/jupyter/run", "", 0o644, 0, 0), file("etc/services.d/jupyter/notes.txt", "", 0o644, 0, 0)},
			vViolation, "/etc/services.d/jupyter/run"},
		{"s6 service owned by root", []*tar.Header{dir("package/admin/s6-overlay/", 0), dir("etc/services.d/jupyter/", 0), file("etc/services.d/jupyter/run", "", 0o755, 0, 0)},
			vViolation, "owned by uid 0"},
		{"s6 service owned by user", []*tar.Header{dir("package/admin/s6-overlay/", 0), dir("etc/services.d/jupyter/", 1000), file("etc/services.d/jupyter/run", "", 0o755, 1000, 0)},
			vPass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := checkInitFiles(filesOf(t, tt.entries...), ru)
			if o.verdict != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Errorf("got %d %q; want %d containing %q", o.verdict, o.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestHomeSeeds(t *testing.T) {
	f := filesOf(t, file("home/jovyan/.bashrc", "", 0o644, 1000, 0), &tar.Header{Name: "home/jovyan/.config/", Typeflag: tar.TypeDir, Mode: 0o755},
		file("home/jovyan/.config/x", "", 0o644, 1000, 0))
	if got, declared := f.homeSeeds(); strings.Join(got, ",") != ".bashrc,.config" || declared {
		t.Errorf("undeclared seeds %v %v", got, declared)
	}
	f = filesOf(t, file("home/jovyan/.bashrc", "", 0o644, 1000, 0), file("tmp_home/jovyan/welcome.txt", "", 0o644, 1000, 0))
	if got, declared := f.homeSeeds(); strings.Join(got, ",") != "welcome.txt" || !declared {
		t.Errorf("declared seeds %v %v", got, declared)
	}
	tests := []struct {
		name string
		w    homeWrites
		f    *imageFiles
		want verdict
	}{
		{"seeded", homeWrites{Shell: true, Listing: []string{"welcome.txt"}}, f, vPass},
		{"declared seed missing", homeWrites{Shell: true, Listing: []string{"nbkit-check-write.txt"}}, f, vViolation},
		{"undeclared missing", homeWrites{Shell: true}, filesOf(t, file("home/jovyan/.bashrc", "", 0o644, 0, 0)), vAdvisory},
		{"cannot write", homeWrites{Shell: true, WriteErr: "Permission denied", Listing: []string{"welcome.txt"}}, f, vViolation},
		{"no shell", homeWrites{}, f, vAdvisory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if o := judgeHome(tt.w, tt.f); o.verdict != tt.want {
				t.Errorf("got %d %q, want %d", o.verdict, o.Message, tt.want)
			}
		})
	}
}

func TestJudgePip(t *testing.T) {
	tests := []struct {
		name, out string
		want      verdict
		msg       string
	}{
		{"venv", `{"python":"/opt/venv/bin/python3","pip":"25.1","purelib":"/opt/venv/lib/python3.13/site-packages","writable":true,"user_site":"/home/jovyan/.local/lib/python3.13/site-packages"}`,
			vPass, "/opt/venv/lib/python3.13/site-packages"},
		{"no pip", `{"python":"/usr/bin/python3","pip":""}`, vNA, "no pip"},
		{"system site not writable", `{"python":"/usr/bin/python3","pip":"25.1","purelib":"/usr/lib/python3/dist-packages","writable":false,"user_site":"/home/jovyan/.local/lib/python3.13/site-packages"}`,
			vViolation, "falls back to /home/jovyan/.local"},
		{"PIP_USER", `{"python":"/opt/venv/bin/python3","pip":"25.1","purelib":"/opt/venv/lib","writable":true,"pip_user_env":"1","user_site":"/home/jovyan/.local/lib"}`,
			vViolation, "PIP_USER=1"},
		{"pip.conf user", `{"python":"/opt/venv/bin/python3","pip":"25.1","purelib":"/opt/venv/lib","writable":true,"config":"global.index-url='https://x'\ninstall.user='true'\n"}`,
			vViolation, "install.user"},
		{"venv in home", `{"python":"/home/jovyan/venv/bin/python3","pip":"25.1","purelib":"/home/jovyan/venv/lib/site-packages","writable":true}`,
			vViolation, "inside the home volume"},
		{"garbage", `Traceback`, vError, "pip probe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := judgePip([]byte(tt.out), "/home/jovyan")
			if o.verdict != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Errorf("got %d %q; want %d containing %q", o.verdict, o.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestJudgeStop(t *testing.T) {
	tests := []struct {
		st   stopResult
		want verdict
	}{
		{stopResult{ExitCode: 0}, vPass},
		{stopResult{ExitCode: 143}, vPass},
		{stopResult{ExitCode: 2}, vViolation},
		{stopResult{ExitCode: 137, Killed: true}, vViolation},
	}
	for _, tt := range tests {
		if o := judgeStop(tt.st); o.verdict != tt.want || o.Data["stop_seconds"] == "" {
			t.Errorf("%+v: got %d %q %v, want %d with stop_seconds", tt.st, o.verdict, o.Message, o.Data, tt.want)
		}
	}
}
