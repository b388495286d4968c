package launch

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// logLines calls emit with each line the container writes (stdout and stderr
// merged), following it until the container stops or ctx ends.
func logLines(ctx context.Context, cli Engine, id string, tail string, follow bool, emit func(string)) error {
	rc, err := cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true, ShowStderr: true, Follow: follow, Tail: tail,
	})
	if err != nil {
		return err
	}
	defer rc.Close()
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, rc)
		pw.CloseWithError(err)
	}()
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		emit(sc.Text())
	}
	pr.Close()
	return sc.Err()
}

// tailLogs returns the container's last n lines, for error messages.
func tailLogs(ctx context.Context, cli Engine, id string, n int) string {
	var b strings.Builder
	logLines(ctx, cli, id, strconv.Itoa(n), false, func(l string) { b.WriteString(l + "\n") })
	return b.String()
}

// FollowLogs streams the notebook's log lines across restarts: when one
// container's stream ends it waits for the next start, and marks the seam.
func (n *Notebook) FollowLogs(ctx context.Context, emit func(line string)) {
	seen := 0
	for ctx.Err() == nil {
		changed := n.changes()
		n.mu.Lock()
		id, gen := n.containerID, n.generation
		n.mu.Unlock()
		if id != "" && gen != seen {
			if seen != 0 {
				emit("──── restarted ────")
			}
			seen = gen
			logLines(ctx, n.cli, id, "500", true, emit)
			continue // the stream ended: look again before waiting
		}
		select {
		case <-ctx.Done():
		case <-changed:
		}
	}
}
