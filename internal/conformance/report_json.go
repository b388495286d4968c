package conformance

import (
	"encoding/json"
	"io"
)

// jsonReport is the stable JSON shape of a run (--format json).
type jsonReport struct {
	Images  []jsonImage `json:"images"`
	Summary jsonSummary `json:"summary"`
}

type jsonImage struct {
	Image   string         `json:"image"`
	Driver  string         `json:"driver"`
	Profile string         `json:"profile"`
	IDE     string         `json:"ide,omitempty"`
	Seconds float64        `json:"seconds"`
	Verdict string         `json:"verdict"` // pass, fail, error
	Error   string         `json:"error,omitempty"`
	Results []jsonResult   `json:"results"`
	Counts  map[Status]int `json:"counts"`
}

type jsonResult struct {
	ID      ID                `json:"id"`
	Level   Level             `json:"level"`
	Status  Status            `json:"status"`
	Seconds float64           `json:"seconds"`
	Message string            `json:"message"`
	Data    map[string]string `json:"data,omitempty"`
}

type jsonSummary struct {
	Images   int `json:"images"`
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Errors   int `json:"errors"`
	ExitCode int `json:"exit_code"`
}

// WriteJSON writes reports as JSON.
func WriteJSON(w io.Writer, reports []Report) error {
	out := jsonReport{Images: []jsonImage{}}
	for _, r := range reports {
		ji := jsonImage{Image: r.Image, Driver: r.Driver, Profile: r.Profile, IDE: r.IDE, Seconds: round2(r.Duration.Seconds()),
			Verdict: imageVerdict(r), Results: []jsonResult{}, Counts: r.Counts()}
		if r.Err != nil {
			ji.Error = r.Err.Error()
		}
		for _, res := range r.Results {
			ji.Results = append(ji.Results, jsonResult{ID: res.ID, Level: res.Level, Status: res.Status,
				Seconds: round2(res.Duration.Seconds()), Message: res.Message, Data: res.Data})
		}
		out.Images = append(out.Images, ji)
		out.Summary.Images++
		switch ji.Verdict {
		case "pass":
			out.Summary.Passed++
		case "fail":
			out.Summary.Failed++
		default:
			out.Summary.Errors++
		}
	}
	out.Summary.ExitCode = ExitCode(reports)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func imageVerdict(r Report) string {
	switch {
	case r.Broken():
		return "error"
	case r.Failed():
		return "fail"
	}
	return "pass"
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
