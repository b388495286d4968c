package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// checkWebsocket proves websockets survive the route: for Jupyter it runs
// code in a kernel the way the Lab frontend does; for other servers it
// needs one upgrade under the prefix to answer 101.
func checkWebsocket(ctx context.Context, nb *Notebook) Outcome {
	if nb.IDE == IDEJupyter {
		return jupyterExecute(ctx, nb)
	}
	p := "/"
	if nb.IDE == IDECodeServer {
		// The path and query VS Code's remote agent connects with.
		p = "/?reconnectionToken=" + newID() + "&reconnection=false&skipWebSocketFrames=false"
	}
	conn, resp, err := nb.dialWS(ctx, p)
	if err != nil {
		return violation("websocket upgrade of GET %s%s failed (%s): the route and server must pass websocket upgrades under NB_PREFIX", nb.Prefix, p, wsSeen(resp, err))
	}
	conn.Close(websocket.StatusNormalClosure, "")
	what := "only the upgrade was tested: nbkit does not speak this server's protocol"
	if nb.IDE == IDECodeServer {
		what = "only the upgrade was tested, not VS Code's remote protocol"
	}
	return pass("websocket upgrade of GET %s%s answered 101 (%s)", nb.Prefix, pathOnly(p), what)
}

func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

func wsSeen(resp *http.Response, err error) string {
	if resp != nil {
		return fmt.Sprintf("answered %s", resp.Status)
	}
	return err.Error()
}

// dialWS opens a websocket to path under the prefix through nb's route,
// as a same-origin browser page would.
func (nb *Notebook) dialWS(ctx context.Context, p string, cookies ...map[string]string) (*websocket.Conn, *http.Response, error) {
	hdr := http.Header{"Origin": {nb.Origin}}
	setCookies(hdr, cookies...)
	target := nb.external(p)
	if nb.Route == RouteRewrite {
		target = nb.Origin + "/" + strings.TrimPrefix(p, "/")
		hdr.Set("X-RStudio-Root-Path", nb.Prefix+"/")
	}
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(target, "http"), &websocket.DialOptions{HTTPClient: nb.Client, HTTPHeader: hdr})
}

// jupyterSession holds what a Lab page carries into its API calls: the
// _xsrf cookie Jupyter Server checks on POST/DELETE.
type jupyterSession struct {
	nb      *Notebook
	cookies map[string]string
}

func (s *jupyterSession) call(ctx context.Context, method, p string, body any) (*http.Response, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	hdr := http.Header{"Content-Type": {"application/json"}, "Origin": {s.nb.Origin}}
	setCookies(hdr, s.cookies)
	if x, ok := s.cookies["_xsrf"]; ok {
		hdr.Set("X-XSRFToken", x)
	}
	resp, err := s.nb.do(ctx, s.nb.Route, method, s.nb.external(p), hdr, r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, b, err
}

type jupyterMsg struct {
	Header       jupyterHeader   `json:"header"`
	ParentHeader jupyterHeader   `json:"parent_header"`
	Metadata     map[string]any  `json:"metadata"`
	Content      json.RawMessage `json:"content"`
	Channel      string          `json:"channel"`
	Buffers      []any           `json:"buffers"`
}

type jupyterHeader struct {
	MsgID    string `json:"msg_id,omitempty"`
	Username string `json:"username,omitempty"`
	Session  string `json:"session,omitempty"`
	MsgType  string `json:"msg_type,omitempty"`
	Version  string `json:"version,omitempty"`
	Date     string `json:"date,omitempty"`
}

func jupyterExecute(ctx context.Context, nb *Notebook) Outcome {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	page, err := nb.follow(ctx, nb.Route, "/", nil)
	if err != nil {
		return violation("loading %s/ for its cookies: %v", nb.Prefix, err)
	}
	s := &jupyterSession{nb: nb, cookies: page.cookies()}
	// The Lab page sets the _xsrf cookie Jupyter wants on POST; when the
	// root did not lead there, load the pages a user would open directly.
	for _, p := range []string{"/lab", "/tree"} {
		if _, ok := s.cookies["_xsrf"]; ok {
			break
		}
		if c, err := nb.follow(ctx, nb.Route, p, nil); err == nil {
			maps.Copy(s.cookies, c.cookies())
		}
	}
	resp, body, err := s.call(ctx, http.MethodPost, "/api/kernels", map[string]any{})
	if err != nil {
		return violation("POST %s/api/kernels got no answer: %v", nb.Prefix, err)
	}
	var kernel struct {
		ID string `json:"id"`
	}
	if resp.StatusCode/100 != 2 || json.Unmarshal(body, &kernel) != nil || kernel.ID == "" {
		return violation("POST %s/api/kernels answered %s %q: Jupyter could not start a kernel (is ipykernel installed and a kernelspec registered?)", nb.Prefix, resp.Status, truncate(body, 200))
	}
	defer func() {
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		s.call(cleanup, http.MethodDelete, "/api/kernels/"+kernel.ID, nil)
	}()

	chPath := "/api/kernels/" + kernel.ID + "/channels?session_id=" + newID()
	conn, wresp, err := nb.dialWS(ctx, chPath, s.cookies)
	if err != nil {
		return violation("websocket to %s%s failed (%s): the kernel channel must accept websocket upgrades under NB_PREFIX", nb.Prefix, pathOnly(chPath), wsSeen(wresp, err))
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20)

	msgID := newID()
	req := jupyterMsg{
		Header: jupyterHeader{MsgID: msgID, Username: "nbkit-check", Session: newID(), MsgType: "execute_request",
			Version: "5.3", Date: time.Now().UTC().Format(time.RFC3339)},
		Metadata: map[string]any{},
		Content:  json.RawMessage(`{"code":"1+1","silent":false,"store_history":false,"user_expressions":{},"allow_stdin":false,"stop_on_error":true}`),
		Channel:  "shell",
		Buffers:  []any{},
	}
	out, _ := json.Marshal(req)
	if err := conn.Write(ctx, websocket.MessageText, out); err != nil {
		return violation("sending execute_request over %s%s: %v", nb.Prefix, pathOnly(chPath), err)
	}
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			return violation("waiting for the result of 1+1 on %s%s: %v (no execute_result from the kernel)", nb.Prefix, pathOnly(chPath), err)
		}
		if typ != websocket.MessageText {
			continue
		}
		var m jupyterMsg
		if json.Unmarshal(data, &m) != nil || m.ParentHeader.MsgID != msgID {
			continue
		}
		switch m.Header.MsgType {
		case "execute_result":
			var c struct {
				Data map[string]any `json:"data"`
			}
			json.Unmarshal(m.Content, &c)
			if got := fmt.Sprint(c.Data["text/plain"]); got != "2" {
				return violation("the kernel answered 1+1 with %q, want \"2\"", got)
			}
			return pass("kernel %.8s ran 1+1 = 2 over the websocket %s/api/kernels/…/channels", kernel.ID, nb.Prefix)
		case "error":
			return violation("the kernel answered 1+1 with an error: %s", truncate(m.Content, 300))
		}
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func newID() string {
	return strings.ReplaceAll(rand.Text(), "=", "")[:16]
}
