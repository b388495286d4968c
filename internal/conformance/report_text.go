package conformance

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the table a person reads: per image, one row per check
// (check, result, time, message), then a summary line.
func WriteText(w io.Writer, reports []Report) error {
	var b strings.Builder
	for i, r := range reports {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s  (driver %s, profile %s%s, %s)\n", r.Image, r.Driver, r.Profile, ideSuffix(r.IDE), fmtDuration(r.Duration))
		if r.Err != nil {
			fmt.Fprintf(&b, "  could not check: %v\n", r.Err)
		}
		if len(r.Results) > 0 {
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  CHECK\tRESULT\tTIME\tMESSAGE")
			for _, res := range r.Results {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", res.ID, strings.ToUpper(string(res.Status)), fmtDuration(res.Duration), res.Message)
			}
			tw.Flush()
		}
		fmt.Fprintf(&b, "  %s\n", summaryLine(r))
	}
	if len(reports) > 1 {
		fmt.Fprintf(&b, "\n%s\n", overallLine(reports))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ideSuffix(ide string) string {
	if ide == "" {
		return ""
	}
	return ", IDE " + ide
}

// Summary is the one-line verdict for r, with its duration.
func Summary(r Report) string {
	return fmt.Sprintf("%s (%s)", summaryLine(r), fmtDuration(r.Duration))
}

func summaryLine(r Report) string {
	c := r.Counts()
	verdict := "PASS"
	switch {
	case r.Broken():
		verdict = "ERROR"
	case r.Failed():
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s: %d passed, %d failed, %d warnings, %d info, %d skipped, %d errors",
		verdict, c[StatusPass], c[StatusFail], c[StatusWarn], c[StatusInfo], c[StatusSkip], c[StatusError])
}

func overallLine(reports []Report) string {
	var passed, failed, broken int
	for _, r := range reports {
		switch {
		case r.Broken():
			broken++
		case r.Failed():
			failed++
		default:
			passed++
		}
	}
	return fmt.Sprintf("%d images: %d passed, %d failed, %d could not be checked", len(reports), passed, failed, broken)
}

func fmtDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}
