package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadMessages reads the JSON message stream the engine answers an image
// import, load or classic build with. The HTTP status is 200 even when the
// operation fails, so the error arrives in the stream; it is returned with the
// last line of output before it. Otherwise ReadMessages returns the last status
// or output line (for an import, the new image's ID).
func ReadMessages(r io.Reader) (last string, err error) {
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Status string `json:"status"`
			Stream string `json:"stream"`
			Error  string `json:"error"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return last, nil
		} else if err != nil {
			return "", fmt.Errorf("reading the engine's answer: %w", err)
		}
		switch {
		case msg.Error != "" && last != "":
			return "", fmt.Errorf("%s (after: %s)", msg.Error, last)
		case msg.Error != "":
			return "", errors.New(msg.Error)
		case strings.TrimSpace(msg.Status) != "":
			last = strings.TrimSpace(msg.Status)
		case strings.TrimSpace(msg.Stream) != "":
			last = strings.TrimSpace(msg.Stream)
		}
	}
}
