package frontproxy

import (
	"sync"
	"time"
)

// activity is what the culling endpoints report: when the proxy started,
// when a user last did something, how many websockets are open and when
// one last carried real traffic.
type activity struct {
	now     func() time.Time
	started time.Time
	// busyFor is how long after websocket traffic the pseudo-kernel stays
	// "busy" (the websocket window).
	busyFor time.Duration

	mu          sync.Mutex
	last        time.Time // zero: nobody ever did anything
	lastTraffic time.Time
	conns       int
}

// newActivity starts the clock; now is time.Now outside tests.
func newActivity(now func() time.Time, busyFor time.Duration) *activity {
	return &activity{now: now, started: now(), busyFor: busyFor}
}

// request records a user request.
func (a *activity) request() {
	t := a.now()
	a.mu.Lock()
	a.last = t
	a.mu.Unlock()
}

// traffic records websocket traffic above the keepalive floor.
func (a *activity) traffic(t time.Time) {
	a.mu.Lock()
	a.last, a.lastTraffic = t, t
	a.mu.Unlock()
}

func (a *activity) opened() {
	a.mu.Lock()
	a.conns++
	a.mu.Unlock()
}

func (a *activity) closed() {
	a.mu.Lock()
	a.conns--
	a.mu.Unlock()
}

// snapshot is the activity at one instant.
type snapshot struct {
	Started      time.Time
	LastActivity time.Time // zero: never
	Connections  int
	Busy         bool
}

func (a *activity) read() snapshot {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	return snapshot{
		Started:      a.started,
		LastActivity: a.last,
		Connections:  a.conns,
		Busy:         a.conns > 0 && !a.lastTraffic.IsZero() && now.Sub(a.lastTraffic) < a.busyFor,
	}
}
