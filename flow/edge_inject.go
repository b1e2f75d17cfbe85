package flow

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
)

// Edge injection: the decisions of `asmlink edge inject`, step 4 of
// "Manage applications in ACK edge clusters" (seed 004): automatic sidecar
// injection for chosen namespaces, through the ASM instance. ASM turns it on
// and off per global namespace (UpdateIstioInjectionConfig; "Manage global
// namespaces") and synchronises the istio-injection label to the namespace
// of that name in each cluster of the mesh; whether a namespace is injected
// then follows the mesh's injection policy ("Configure sidecar injection
// policies"). Injection happens when a pod is created ("Install a sidecar
// proxy": existing pods do not receive a sidecar proxy until you restart
// them), so every workload running in a namespace whose injection changes
// needs a restart.

// InjectionLabel is the namespace label the sidecar injector matches.
const InjectionLabel = "istio-injection"

// revisionLabel selects a control-plane revision's injector instead.
const revisionLabel = "istio.io/rev"

// systemNamespaces are namespaces Istio's documentation says never to
// inject: the control plane's and Kubernetes' own.
var systemNamespaces = []string{"kube-system", "kube-public", "kube-node-lease", "istio-system"}

// NamespaceInjection is whether one namespace of a cluster is injected and
// why.
type NamespaceInjection struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
	// Reason says which label or policy decides it.
	Reason string `json:"reason"`
}

// InjectionOf decides a namespace's injection from its labels and the
// mesh's policy, as the injector's namespace selector does (Istio's
// analyzers IST0102 and IST0148 describe it): a revision label or
// istio-injection=enabled injects, istio-injection=disabled never does, and
// without a label the namespace is injected only when the mesh injects
// namespaces by default.
func InjectionOf(name string, labels map[string]string, policy cloud.InjectionPolicy) NamespaceInjection {
	n := NamespaceInjection{Name: name}
	switch v, ok := labels[InjectionLabel]; {
	case v == "enabled":
		n.Enabled, n.Reason = true, "label istio-injection=enabled"
	case ok:
		n.Reason = "label istio-injection=" + v
	case labels[revisionLabel] != "":
		n.Enabled, n.Reason = true, "label istio.io/rev="+labels[revisionLabel]
	case policy.EnableNamespacesByDefault:
		n.Enabled, n.Reason = true, "no label, and the mesh injects every namespace not labelled istio-injection=disabled"
	default:
		n.Reason = "no istio-injection=enabled label"
	}
	return n
}

// InjectionRequest is what the person asked for.
type InjectionRequest struct {
	Enable, Disable []string
}

// InjectionPlan is the namespaces of the cluster as they are, and the
// changes to make.
type InjectionPlan struct {
	Policy     cloud.InjectionPolicy
	Namespaces []NamespaceInjection
	// Changes are the namespaces whose injection changes, with the state
	// asked for; a namespace already in that state is not among them.
	Changes []NamespaceInjection
}

// PlanInjection checks the request against the cluster's namespaces: each
// must exist, none may be asked both ways, and system namespaces are never
// injected.
func PlanInjection(policy cloud.InjectionPolicy, clusterID string, nss []cloud.GuestNamespace, req InjectionRequest) (*InjectionPlan, error) {
	p := &InjectionPlan{Policy: policy}
	names := make([]string, 0, len(nss))
	for _, n := range nss {
		p.Namespaces = append(p.Namespaces, InjectionOf(n.Name, n.Labels, policy))
		names = append(names, n.Name)
	}
	want := map[string]bool{}
	for _, group := range []struct {
		flag string
		list []string
		on   bool
	}{{"--enable", req.Enable, true}, {"--disable", req.Disable, false}} {
		for _, ns := range group.list {
			if on, dup := want[ns]; dup && on != group.on {
				return nil, &GatewayUsageError{Flag: group.flag, Message: fmt.Sprintf("namespace %s is given to both --enable and --disable", ns)}
			}
			if group.on && slices.Contains(systemNamespaces, ns) {
				return nil, &GatewayUsageError{Flag: "--enable", Message: fmt.Sprintf("%s is a system namespace; Istio injects application namespaces only", ns)}
			}
			i := slices.Index(names, ns)
			if i < 0 {
				return nil, &GatewayRefusedError{Message: fmt.Sprintf("%s %s: namespace %s does not exist in cluster %s (its namespaces: %s); create it first with `kubectl create namespace %s` against the cluster",
					group.flag, ns, ns, clusterID, strings.Join(names, ", "), ns)}
			}
			want[ns] = group.on
			if p.Namespaces[i].Enabled != group.on && !slices.ContainsFunc(p.Changes, func(c NamespaceInjection) bool { return c.Name == ns }) {
				p.Changes = append(p.Changes, NamespaceInjection{Name: ns, Enabled: group.on})
			}
		}
	}
	return p, nil
}

// InjectionNotAppliedError is a change ASM accepted that did not take
// effect, e.g. turning injection off where the mesh injects namespaces by
// default and ASM only removed the label.
type InjectionNotAppliedError struct {
	Namespace NamespaceInjection
	Want      bool
}

func (e *InjectionNotAppliedError) Error() string {
	n := e.Namespace
	msg := fmt.Sprintf("namespace %s is still %s (%s) after ASM accepted the change", n.Name, onOff(n.Enabled), n.Reason)
	if !e.Want {
		msg += fmt.Sprintf("; label the global namespace on the ASM API server so the policy cannot inject it: kubectl --kubeconfig ASM_KUBECONFIG label namespace %s istio-injection=disabled --overwrite", n.Name)
	}
	return msg
}

func onOff(on bool) string {
	if on {
		return "injected"
	}
	return "not injected"
}

// Workload is a controller whose pods need a restart to get (or lose) a
// sidecar, with the command that restarts it.
type Workload struct {
	Namespace string   `json:"namespace"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Pods      []string `json:"pods"`
	Restart   string   `json:"restart"`
}

// The shapes of pod names Kubernetes' controllers generate: a
// ReplicaSet's pods are <deployment>-<pod-template-hash>-<5>, a
// StatefulSet's <name>-<ordinal>, a DaemonSet's <name>-<5>, the random
// parts from apimachinery's rand alphabet (bcdfghjklmnpqrstvwxz2456789).
var (
	reDeploymentPod  = regexp.MustCompile(`^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	reStatefulSetPod = regexp.MustCompile(`^(.+)-[0-9]+$`)
	reDaemonSetPod   = regexp.MustCompile(`^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
)

// WorkloadsOf groups a namespace's pods by the controller their names
// say they belong to. A pod whose name fits no controller is its own
// workload, restarted by deleting it.
func WorkloadsOf(namespace string, pods []string) []Workload {
	var out []Workload
	index := map[string]int{}
	add := func(kind, name, pod string) {
		if i, ok := index[kind+"/"+name]; ok {
			out[i].Pods = append(out[i].Pods, pod)
			return
		}
		index[kind+"/"+name] = len(out)
		restart := fmt.Sprintf("kubectl -n %s rollout restart %s/%s", namespace, kind, name)
		if kind == "pod" {
			restart = fmt.Sprintf("kubectl -n %s delete pod %s", namespace, name)
		}
		out = append(out, Workload{Namespace: namespace, Kind: kind, Name: name, Pods: []string{pod}, Restart: restart})
	}
	shapes := []struct {
		kind string
		re   *regexp.Regexp
	}{{"deployment", reDeploymentPod}, {"statefulset", reStatefulSetPod}, {"daemonset", reDaemonSetPod}}
pods:
	for _, pod := range pods {
		for _, sh := range shapes {
			if m := sh.re.FindStringSubmatch(pod); m != nil {
				add(sh.kind, m[1], pod)
				continue pods
			}
		}
		add("pod", pod, pod)
	}
	return out
}

// ApplyInjection makes each change through the mesh, reads the cluster's
// namespaces again to check that it took effect, and lists the workloads
// of each changed namespace, which need a restart. It returns the
// namespaces as they are afterwards.
func ApplyInjection(ctx context.Context, api cloud.DataPlaneAPI, meshID, clusterID string, p *InjectionPlan) ([]NamespaceInjection, []Workload, error) {
	for _, c := range p.Changes {
		if err := api.SetNamespaceInjection(ctx, meshID, c.Name, c.Enabled); err != nil {
			return nil, nil, fmt.Errorf("turning sidecar injection %s for namespace %s: %w", map[bool]string{true: "on", false: "off"}[c.Enabled], c.Name, err)
		}
	}
	nss, err := api.GuestNamespaces(ctx, meshID, clusterID)
	if err != nil {
		return nil, nil, err
	}
	after := make([]NamespaceInjection, 0, len(nss))
	for _, n := range nss {
		after = append(after, InjectionOf(n.Name, n.Labels, p.Policy))
	}
	var workloads []Workload
	for _, c := range p.Changes {
		i := slices.IndexFunc(after, func(n NamespaceInjection) bool { return n.Name == c.Name })
		if i < 0 {
			return after, nil, fmt.Errorf("namespace %s is no longer listed in cluster %s", c.Name, clusterID)
		}
		if after[i].Enabled != c.Enabled {
			return after, nil, &InjectionNotAppliedError{Namespace: after[i], Want: c.Enabled}
		}
		pods, err := api.GuestPods(ctx, meshID, clusterID, c.Name)
		if err != nil {
			return after, nil, err
		}
		workloads = append(workloads, WorkloadsOf(c.Name, pods)...)
	}
	return after, workloads, nil
}
