package conformance

import (
	"encoding/xml"
	"fmt"
	"io"
)

// JUnit XML as CI systems (GitLab, Jenkins, GitHub test reporters) read it:
// one testsuite per image, one testcase per check. Failed fail-level checks
// are failures; errors are errors; skips, warnings and infos are skipped or
// passed with the message in system-out, so they show without breaking the build.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes reports as JUnit XML.
func WriteJUnit(w io.Writer, reports []Report) error {
	out := junitSuites{Name: "nbkit check"}
	var total float64
	for _, r := range reports {
		s := junitSuite{Name: r.Image, Time: secs(r.Duration.Seconds()), Properties: []junitProperty{
			{"driver", r.Driver}, {"profile", r.Profile}, {"ide", r.IDE}}}
		if r.Err != nil {
			s.Cases = append(s.Cases, junitCase{Name: "run", Classname: r.Image, Time: "0",
				Error: &junitMessage{Message: r.Err.Error(), Type: "could-not-check"}})
			s.Errors++
		}
		for _, res := range r.Results {
			c := junitCase{Name: string(res.ID), Classname: r.Image, Time: secs(res.Duration.Seconds())}
			msg := &junitMessage{Message: res.Message, Type: string(res.Level), Text: res.Message}
			switch res.Status {
			case StatusFail:
				c.Failure = msg
				s.Failures++
			case StatusError:
				c.Error = msg
				s.Errors++
			case StatusSkip:
				c.Skipped = &junitMessage{Message: res.Message}
				s.Skipped++
			case StatusWarn, StatusInfo:
				c.SystemOut = fmt.Sprintf("%s (level %s): %s", res.Status, res.Level, res.Message)
			default:
				c.SystemOut = res.Message
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		total += r.Duration.Seconds()
		out.Suites = append(out.Suites, s)
	}
	out.Time = secs(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func secs(f float64) string { return fmt.Sprintf("%.3f", f) }
