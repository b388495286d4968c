package imagelint

import "fmt"

// A Finding is one problem in one file of the tree, phrased so that the
// image author knows what to change.
type Finding struct {
	Image string // image folder name
	File  string // path relative to the images/ folder
	Line  int    // 1-based, 0 when the finding is about the whole file
	Rule  string // stable rule ID, e.g. "pin-sha256"
	Msg   string
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: [%s] %s", f.File, f.Line, f.Rule, f.Msg)
	}
	return fmt.Sprintf("%s: [%s] %s", f.File, f.Rule, f.Msg)
}

// Rules reported by this package.
const (
	RuleCatalog    = "catalog"     // what internal/catalog finds wrong in image.yaml
	RuleTree       = "tree"        // the tree differs from design/images.md
	RuleParse      = "parse"       // Dockerfile syntax
	RuleBaseImg    = "base-img"    // ARG BASE_IMG / FROM $BASE_IMG
	RuleUser       = "user"        // final USER is the notebook user
	RuleNBInit     = "nbinit"      // the root image installs nbinit as /init
	RuleInclude    = "include"     // _include/ folders read vs listed in image.yaml
	RuleRootfs     = "rootfs"      // rootfs/ copied, scripts executable
	RulePin        = "pin-sha256"  // vendor download without a checksum
	RuleVersion    = "pin-version" // vendor download without a version
	RuleArch       = "pin-arch"    // a platform without its own pinned file
	RuleUnverified = "unverified"  // checksum supplied only as a build arg
	RulePip        = "pip"         // unpinned or --user pip installs
)
