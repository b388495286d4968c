package launch

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// Token guards the dashboard and the route. The notebook itself has no auth,
// as in Kubeflow, where Istio and the dashboard's login stand in front of it;
// here the token in the printed URL stands in for that login, so another local
// user or a web page in the browser cannot reach the notebook.
type Token string

// NewToken returns a random token.
func NewToken() Token {
	return Token(rand.Text())
}

// cookieName differs per token, so that two nbkit run sessions on the same
// host (cookies ignore the port) do not overwrite each other's cookie.
func (t Token) cookieName() string {
	sum := sha256.Sum256([]byte(t))
	return "nbkit-" + hex.EncodeToString(sum[:4])
}

func (t Token) matches(s string) bool {
	return subtle.ConstantTimeCompare([]byte(s), []byte(t)) == 1
}

// Guard wraps next: a request with ?token= sets the cookie and is redirected
// to the same URL without the token (so it does not stay in the history or
// leak in a Referer); later requests, including the iframe's and websockets,
// carry the cookie. The cookie is removed before the request goes on, so the
// notebook never sees it.
func (t Token) Guard(next http.Handler) http.Handler {
	name := t.cookieName()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("token") {
			if !t.matches(q.Get("token")) {
				deny(w)
				return
			}
			http.SetCookie(w, &http.Cookie{
				Name: name, Value: string(t), Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode,
			})
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusFound)
			return
		}
		c, err := r.Cookie(name)
		if err != nil || !t.matches(c.Value) {
			deny(w)
			return
		}
		dropCookie(r, name)
		next.ServeHTTP(w, r)
	})
}

func deny(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	w.Write([]byte("nbkit run: open the URL with ?token= that nbkit run printed.\n"))
}

// dropCookie removes one cookie from the request's Cookie headers.
func dropCookie(r *http.Request, name string) {
	var kept []string
	for _, c := range r.Cookies() {
		if c.Name != name {
			kept = append(kept, c.String())
		}
	}
	r.Header.Del("Cookie")
	if len(kept) > 0 {
		r.Header.Set("Cookie", strings.Join(kept, "; "))
	}
}
