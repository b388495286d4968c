package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A Profile sets the level of each check: the cluster it stands for decides
// which deviations break a notebook there.
type Profile struct {
	Name      string
	Overrides map[ID]Level
}

// Profiles are the clusters nbkit check knows how to imitate.
var Profiles = map[string]Profile{
	// kubeflow: the notebook controller's defaults (uid from the image, fsGroup 100).
	"kubeflow": {Name: "kubeflow"},
	// openshift: restricted SCC assigns a random UID with gid 0.
	"openshift": {Name: "openshift", Overrides: map[ID]Level{CheckRandomUID: LevelFail}},
	// restricted: Pod Security "restricted" plus a read-only root filesystem.
	"restricted": {Name: "restricted", Overrides: map[ID]Level{CheckRestricted: LevelFail, CheckReadonlyRoot: LevelFail}},
}

// ProfileNamed returns the profile called name, or an error listing the known ones.
func ProfileNamed(name string) (Profile, error) {
	p, ok := Profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("--profile: unknown profile %q; use one of %s", name, strings.Join(slices.Sorted(maps.Keys(Profiles)), ", "))
	}
	return p, nil
}

// Level returns the level of id under p.
func (p Profile) Level(id ID) Level {
	if l, ok := p.Overrides[id]; ok {
		return l
	}
	s, _ := SpecOf(id)
	return s.Level
}
