package conformance

import "fmt"

const userFix = "create the user with `useradd -m -u 1000 -g 0 -G 100 -d /home/jovyan -s /bin/bash jovyan` and end the Dockerfile with `USER 1000`"

// checkUser judges the image's default user as its own /etc/passwd resolves it.
func checkUser(f *imageFiles, spec string) Outcome {
	ru := resolveUser(spec, f.content["/etc/passwd"], f.content["/etc/group"])
	shown := spec
	if shown == "" {
		shown = "(none: root)"
	}
	switch {
	case f.content["/etc/passwd"] == nil:
		return violation("the image has no /etc/passwd, so USER %s has no name or home; %s", shown, userFix)
	case !ru.Known:
		return violation("USER %s is not in the image's /etc/passwd; %s", shown, userFix)
	case ru.UID == 0:
		return violation("the image runs as root (USER %s); Kubeflow's restricted pods and the home volume expect jovyan, uid 1000; %s", shown, userFix)
	case ru.Name != "jovyan" || ru.UID != 1000 || ru.Home != "/home/jovyan":
		return violation("USER %s resolves to %s; want jovyan, uid 1000, home /home/jovyan (notebook volumes and the UI assume them); %s",
			shown, describeUser(ru), userFix)
	}
	o := pass("USER %s is jovyan uid 1000, home /home/jovyan, primary group %d (%s)", shown, ru.GID, groupName(f.content["/etc/group"], ru.GID))
	if ru.GID != 0 {
		o.Message += "; primary gid 0 is recommended so files stay writable under random-UID clusters"
	}
	return o.with("uid", fmt.Sprint(ru.UID)).with("gid", fmt.Sprint(ru.GID))
}

func describeUser(ru runUser) string {
	name := ru.Name
	if name == "" {
		name = "(no passwd entry)"
	}
	return fmt.Sprintf("%s, uid %d, gid %d, home %q", name, ru.UID, ru.GID, ru.Home)
}
