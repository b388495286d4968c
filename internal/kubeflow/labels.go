package kubeflow

// Image labels nbkit writes when it builds an image and reads when it runs
// or checks one, so that nothing needs to guess what an image is.
const (
	// LabelIDE names the IDE kind (IDE values).
	LabelIDE = "dev.nbkit.ide"
	// LabelServerType is the Kubeflow server type (ServerType values), for
	// tools that know only Kubeflow's vocabulary.
	LabelServerType = "dev.nbkit.server-type"
)

// IDEFromLabels reads the IDE kind from image labels: LabelIDE first, then
// LabelServerType. ok is false when neither names a known kind.
func IDEFromLabels(labels map[string]string) (ide IDE, ok bool) {
	for _, k := range []string{LabelIDE, LabelServerType} {
		if v := labels[k]; v != "" {
			if i, err := ParseIDE(v); err == nil {
				return i, true
			}
		}
	}
	return "", false
}

// ImageLabels returns the labels that describe the IDE kind on an image.
func ImageLabels(ide IDE) map[string]string {
	l := map[string]string{LabelIDE: string(ide)}
	if st := ide.ServerType(); st != "" {
		l[LabelServerType] = string(st)
	}
	return l
}
