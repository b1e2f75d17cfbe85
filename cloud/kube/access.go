package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
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

// NoVerdictError means the API server answered the access review with
// something other than a verdict: the review itself forbidden (403), the
// authorization API not served (404, 405), or a body that is not a review.
// A real ASM API server may do any of these to a RAM user, and none says
// the write would be refused, so the caller goes on and lets the write
// answer.
type NoVerdictError struct{ Err error }

func (e *NoVerdictError) Error() string { return e.Err.Error() }
func (e *NoVerdictError) Unwrap() error { return e.Err }

// NoVerdict says that the error is not a refusal, for packages that must
// not import kube (flow's doctor check).
func (e *NoVerdictError) NoVerdict() bool { return true }

// MayWrite asks the API server, with a SelfSubjectAccessReview per verb,
// whether the identity in use may patch and create ASMPvlConfig/default.
// ASM maps RAM users to Kubernetes RBAC on its API server, and a RAM user
// gets no binding there by default ("Grant RBAC permissions to a RAM
// user": roles istio-admin, istio-ops, istio-readonly; only the first two
// may change resources), so a write that would be refused is found before
// it is tried. An answer that is not a verdict is a *NoVerdictError; a
// request that got no answer (a timeout, a refused connection) is an error
// like any other. An in-memory server has no authorizer: everything is
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
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return false, "", &NoVerdictError{Err: fmt.Errorf("the ASM API server answered the review of %s on %s with %s", verb, spec.Resource, answer(status.Status()))}
	}
	if err != nil {
		return false, "", fmt.Errorf("asking the ASM API server whether %s on %s is allowed: %w", verb, spec.Resource, err)
	}
	var out authorizationv1.SelfSubjectAccessReview
	if err := json.Unmarshal(raw, &out); err != nil {
		return false, "", &NoVerdictError{Err: fmt.Errorf("reading the ASM API server's access review: %w", err)}
	}
	return out.Status.Allowed, out.Status.Reason, nil
}

// answer names an HTTP answer by its code and words, and the server's
// message when it sent one ("403 Forbidden: ..."); a status the client
// could not decode has the message "unknown", which says nothing.
func answer(st metav1.Status) string {
	s := fmt.Sprintf("%d %s", st.Code, http.StatusText(int(st.Code)))
	if st.Message != "" && st.Message != "unknown" {
		s += ": " + st.Message
	}
	return s
}
