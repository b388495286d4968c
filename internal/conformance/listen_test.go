package conformance

import "testing"

func TestLoopbackOnly(t *testing.T) {
	const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	tests := []struct {
		name, text string
		want       bool
	}{
		{"0.0.0.0", header + "   0: 00000000:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1\n", false},
		{"127.0.0.1", header + "   0: 0100007F:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1\n", true},
		{"::", header + "   0: 00000000000000000000000000000000:22B8 00000000000000000000000000000000:0000 0A 0 0 0 1000 0 1\n", false},
		{"::1", header + "   0: 00000000000000000000000001000000:22B8 00000000000000000000000000000000:0000 0A 0 0 0 1000 0 1\n", true},
		{"::ffff:127.0.0.1", "   0: 0000000000000000FFFF00000100007F:22B8 00000000000000000000000000000000:0000 0A 0 0 0\n", true},
		{"loopback and pod IP", "   0: 0100007F:22B8 00000000:0000 0A\n   1: 0200000A:22B8 00000000:0000 0A\n", false},
		{"other port only", "   0: 0100007F:1F90 00000000:0000 0A\n", false},
		{"established, not listening", "   0: 0100007F:22B8 0100007F:D2F0 01\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loopbackOnly(parseListeners(tt.text), 8888); got != tt.want {
				t.Errorf("loopbackOnly = %v, want %v", got, tt.want)
			}
		})
	}
}
