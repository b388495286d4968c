package engine

// Labels put on everything nbkit creates in an engine, so that it can find and
// remove its own objects and never touch anyone else's.
const (
	// LabelManaged marks an object as created by nbkit; its value names the part
	// that created it ("check", "run", "build", "relay").
	LabelManaged = "dev.nbkit.managed"
	// LabelSession ties the objects of one nbkit invocation together.
	LabelSession = "dev.nbkit.session"
)
