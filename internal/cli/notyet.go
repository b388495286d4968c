package cli

import "fmt"

// errNotYet answers for a subcommand whose implementation has not landed.
func errNotYet(name string) error {
	return &ExitError{Code: 2, Err: fmt.Errorf("%s is not implemented in this build yet", name)}
}
