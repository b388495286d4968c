package launch

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestTokenGuard(t *testing.T) {
	backend := newBackend(t)
	tok := NewToken()
	route := Route{Prefix: "/notebook/ns1/nb1", Type: Jupyter, Transport: transportTo(backend)}
	front := httptest.NewServer(tok.Guard(route.Handler()))
	defer front.Close()
	target := front.URL + "/notebook/ns1/nb1/lab"

	status := func(hc *http.Client, u string) int {
		t.Helper()
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	t.Run("refused without token", func(t *testing.T) {
		for _, u := range []string{target, target + "?token=wrong", target + "?token="} {
			if got := status(http.DefaultClient, u); got != http.StatusUnauthorized {
				t.Errorf("GET %s = %d, want 401", strings.TrimPrefix(u, front.URL), got)
			}
		}
	})

	t.Run("token sets cookie and is dropped from the URL", func(t *testing.T) {
		hc := &http.Client{CheckRedirect: noRedirect}
		resp, err := hc.Get(target + "?a=1&token=" + url.QueryEscape(string(tok)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/notebook/ns1/nb1/lab?a=1" {
			t.Errorf("got %d Location %q, want 302 to the URL without the token", resp.StatusCode, loc)
		}
		cookies := resp.Cookies()
		if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
			t.Fatalf("cookies = %v, want one HttpOnly SameSite=Strict cookie", cookies)
		}
	})

	t.Run("cookie admits and stays away from the notebook", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar}
		u, _ := url.Parse(front.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "_xsrf", Value: "keep"}})
		resp, err := hc.Get(target + "?token=" + url.QueryEscape(string(tok)))
		if err != nil {
			t.Fatal(err)
		}
		var got seen
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || got.Path != "/notebook/ns1/nb1/lab" {
			t.Fatalf("after login: %d, backend saw %+v", resp.StatusCode, got)
		}
		if got.Cookie != "_xsrf=keep" {
			t.Errorf("notebook got Cookie %q, want only its own _xsrf=keep", got.Cookie)
		}
		if st := status(hc, target); st != http.StatusOK {
			t.Errorf("second request with the cookie only = %d, want 200", st)
		}
	})

	t.Run("another session's token does not admit", func(t *testing.T) {
		other := NewToken()
		req, _ := http.NewRequest("GET", target, nil)
		req.AddCookie(&http.Cookie{Name: tok.cookieName(), Value: string(other)})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("wrong cookie value: %d, want 401", resp.StatusCode)
		}
	})
}
