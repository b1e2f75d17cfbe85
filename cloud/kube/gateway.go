package kube

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/asmlink/asmlink/spec/gateway"
)

// GatewayGVK is the IstioGateway kind ASM's gateway controller reads, and
// GatewayGVR its resource.
var (
	GatewayGVK = schema.GroupVersionKind{Group: gateway.Group, Version: gateway.Version, Kind: gateway.Kind}
	GatewayGVR = schema.GroupVersionResource{Group: gateway.Group, Version: gateway.Version, Resource: gateway.Resource}
)

// NoGatewayKindError means the API server does not serve IstioGateway: it
// is not an ASM instance's, or ASM's gateway definition is missing.
type NoGatewayKindError struct{ Server string }

func (e *NoGatewayKindError) Error() string {
	return fmt.Sprintf("the API server at %s does not serve %s (%s): ASM instances serve it; use the ASM instance's own kubeconfig", e.Server, gateway.Kind, gateway.APIVersion)
}

// Gateway reads the IstioGateway namespace/name. It returns nil, and no
// error, when there is none.
func (c *Client) Gateway(ctx context.Context, namespace, name string) (*gateway.IstioGateway, error) {
	cctx, cancel := c.callContext(ctx)
	defer cancel()
	u, err := c.c.Resource(GatewayGVR).Namespace(namespace).Get(cctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err) && objectMissing(err, name):
		return nil, nil
	case apierrors.IsNotFound(err):
		return nil, &NoGatewayKindError{Server: c.server}
	case err != nil:
		return nil, c.wrapGateway("reading", namespace, name, err)
	}
	return gatewayFrom(u)
}

// GatewayApplyOptions say how ApplyGateway writes.
type GatewayApplyOptions struct {
	// DryRun has the server check and default the object without storing it.
	DryRun bool
	// Force takes over fields another field manager set.
	Force bool
}

// ApplyGateway writes the spec fields asmlink owns of g (clusterIds,
// gatewayType, serviceType, serviceAnnotations, ports, replicaCount) with
// server-side apply as this client's field manager, leaving every other
// field of a live gateway as it is, and returns the object as the server
// stored (or, in a dry run, would store) it. A field another manager set
// to another value stops it with a *ConflictError unless opts.Force.
func (c *Client) ApplyGateway(ctx context.Context, g *gateway.IstioGateway, opts GatewayApplyOptions) (*gateway.IstioGateway, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&gateway.IstioGateway{
		APIVersion: gateway.APIVersion, Kind: gateway.Kind,
		Metadata: gateway.ObjectMeta{Name: g.Metadata.Name, Namespace: g.Metadata.Namespace}, Spec: g.Spec,
	})
	if err != nil {
		return nil, fmt.Errorf("encoding %s %s/%s: %w", gateway.Kind, g.Metadata.Namespace, g.Metadata.Name, err)
	}
	dropNulls(m)
	u := &unstructured.Unstructured{Object: m}
	cctx, cancel := c.callContext(ctx)
	defer cancel()
	u, err = c.c.Resource(GatewayGVR).Namespace(g.Metadata.Namespace).Apply(cctx, g.Metadata.Name, u, metav1.ApplyOptions{FieldManager: c.manager, Force: opts.Force, DryRun: dryRunAll(opts.DryRun)})
	if err != nil {
		if fc := fieldConflicts(err); fc != nil {
			return nil, &ConflictError{Fields: fc.fields, Managers: managerNames(fc.fields)}
		}
		if objectMissing(err, g.Metadata.Namespace) {
			return nil, fmt.Errorf("namespace %s does not exist on the ASM API server at %s; ASM creates it with the instance: check that the kubeconfig is the ASM instance's", g.Metadata.Namespace, c.server)
		}
		if apierrors.IsNotFound(err) {
			return nil, &NoGatewayKindError{Server: c.server}
		}
		return nil, c.wrapGateway("applying", g.Metadata.Namespace, g.Metadata.Name, err)
	}
	return gatewayFrom(u)
}

// objectMissing tells a 404 for the object name, which names it in its
// details, from a 404 for the whole resource, which a server without the
// IstioGateway kind answers.
func objectMissing(err error, name string) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return false
	}
	d := status.Status().Details
	return d != nil && d.Name == name
}

// gatewayFrom converts the server's object, ignoring the fields asmlink
// does not model.
func gatewayFrom(u *unstructured.Unstructured) (*gateway.IstioGateway, error) {
	g := &gateway.IstioGateway{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, g); err != nil {
		return nil, fmt.Errorf("the API server's %s %s/%s does not fit asmlink's model of it: %w", gateway.Kind, u.GetNamespace(), u.GetName(), err)
	}
	return g, nil
}

func (c *Client) wrapGateway(doing, namespace, name string, err error) error {
	var status apierrors.APIStatus
	if errors.As(err, &status) && apierrors.IsInvalid(err) {
		return fmt.Errorf("the ASM API server at %s refused %s %s/%s: %s", c.server, gateway.Kind, namespace, name, status.Status().Message)
	}
	return fmt.Errorf("%s %s %s/%s on the ASM API server at %s: %w", doing, gateway.Kind, namespace, name, c.server, err)
}

// Gateways lists the IstioGateways of namespace.
func (c *Client) Gateways(ctx context.Context, namespace string) ([]gateway.IstioGateway, error) {
	cctx, cancel := c.callContext(ctx)
	defer cancel()
	list, err := c.c.Resource(GatewayGVR).Namespace(namespace).List(cctx, metav1.ListOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, &NoGatewayKindError{Server: c.server}
	case err != nil:
		return nil, fmt.Errorf("listing %ss in %s on the ASM API server at %s: %w", gateway.Kind, namespace, c.server, err)
	}
	out := make([]gateway.IstioGateway, 0, len(list.Items))
	for i := range list.Items {
		g, err := gatewayFrom(&list.Items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *g)
	}
	return out, nil
}
