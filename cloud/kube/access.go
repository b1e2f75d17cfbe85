package kube

import (
	"context"
	"encoding/json"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/asmlink/asmlink/spec"
)

// Access says whether the identity of the kubeconfig in use may write
// ASMPvlConfig/default: server-side apply needs patch, and create when the
// object does not exist yet. Reason is the API server's own words when it
// denies.
type Access struct {
	Patch, Create bool
	Reason        string
}

// MayWrite asks the API server, with a SelfSubjectAccessReview per verb,
// whether the identity in use may patch and create ASMPvlConfig/default.
// ASM maps RAM users to Kubernetes RBAC on its API server, and a RAM user
// gets no binding there by default ("Grant RBAC permissions to a RAM
// user": roles istio-admin, istio-ops, istio-readonly; only the first two
// may change resources), so a write that would be refused is found before
// it is tried. An in-memory server has no authorizer: everything is
// allowed.
func (c *Client) MayWrite(ctx context.Context) (Access, error) {
	if c.raw == nil {
		return Access{Patch: true, Create: true}, nil
	}
	var a Access
	for _, verb := range []string{"patch", "create"} {
		ok, reason, err := c.review(ctx, verb)
		if err != nil {
			return Access{}, err
		}
		if !ok && a.Reason == "" {
			a.Reason = reason
		}
		if verb == "patch" {
			a.Patch = ok
		} else {
			a.Create = ok
		}
	}
	return a, nil
}

// review asks whether the identity may do verb on ASMPvlConfig/default.
func (c *Client) review(ctx context.Context, verb string) (bool, string, error) {
	attrs := &authorizationv1.ResourceAttributes{Verb: verb, Group: spec.Group, Version: spec.Version, Resource: spec.Resource}
	if verb != "create" {
		attrs.Name = spec.Name
	}
	body, err := json.Marshal(authorizationv1.SelfSubjectAccessReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "authorization.k8s.io/v1", Kind: "SelfSubjectAccessReview"},
		Spec:     authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: attrs},
	})
	if err != nil {
		return false, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	raw, err := c.raw.Post().AbsPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").
		SetHeader("Content-Type", "application/json").Body(body).Do(ctx).Raw()
	if err != nil {
		return false, "", fmt.Errorf("asking the ASM API server whether %s on %s is allowed: %w", verb, spec.Resource, err)
	}
	var out authorizationv1.SelfSubjectAccessReview
	if err := json.Unmarshal(raw, &out); err != nil {
		return false, "", fmt.Errorf("reading the ASM API server's access review: %w", err)
	}
	return out.Status.Allowed, out.Status.Reason, nil
}
