package conformance

import (
	"strconv"
	"strings"
)

// listener is a listening TCP socket from /proc/net/tcp{,6}.
type listener struct {
	Addr     string // hex as the kernel writes it
	Port     int
	Wildcard bool // 0.0.0.0 or ::
	Loopback bool // 127.0.0.0/8, ::1 or ::ffff:127.x
}

// parseListeners reads the listening sockets out of /proc/net/tcp and
// /proc/net/tcp6 text (both may be concatenated).
func parseListeners(text string) []listener {
	var out []listener
	for line := range strings.SplitSeq(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "0A" { // 0A = TCP_LISTEN
			continue
		}
		addr, portHex, ok := strings.Cut(f[1], ":")
		if !ok {
			continue
		}
		port, err := strconv.ParseUint(portHex, 16, 16)
		if err != nil {
			continue
		}
		l := listener{Addr: addr, Port: int(port)}
		switch len(addr) {
		case 8: // IPv4, little-endian: 0100007F = 127.0.0.1
			l.Wildcard = addr == "00000000"
			l.Loopback = strings.HasSuffix(addr, "7F")
		case 32: // IPv6 as four little-endian words
			l.Wildcard = addr == strings.Repeat("0", 32)
			l.Loopback = addr == "00000000000000000000000001000000" ||
				strings.HasPrefix(addr, "0000000000000000FFFF0000") && strings.HasSuffix(addr, "7F")
		default:
			continue
		}
		out = append(out, l)
	}
	return out
}

// loopbackOnly reports whether port has listeners and all of them are on
// loopback, where a pod's Service traffic never arrives.
func loopbackOnly(ls []listener, port int) bool {
	found := false
	for _, l := range ls {
		if l.Port != port {
			continue
		}
		found = true
		if !l.Loopback {
			return false
		}
	}
	return found
}
