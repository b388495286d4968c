package enginetest

import "os"

// InCI reports whether the tests run under CI, where every dependency a test
// needs must be present and a missing one is a failure, not a skip.
func InCI() bool { return os.Getenv("CI") == "true" }
