package launch

// Test helpers for the external test package (cli_test.go), which drives the
// command line and so cannot live in this package (cli imports launch).
var (
	FixtureImage = fixtureImage
	TestSpec     = testSpec
)
