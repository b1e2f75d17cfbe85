package sim

import (
	"encoding/json"
	"fmt"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ssarPath is where a Kubernetes API server takes a SelfSubjectAccessReview
// (authorization.k8s.io/v1, "Authorization Overview: Checking API Access"
// in the Kubernetes documentation): POST a review of one verb on one
// resource, and the server answers with status.allowed and a reason.
const ssarPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

// The answers an ASM API server may plausibly give to a
// SelfSubjectAccessReview. ASM documents RBAC roles for RAM users on its
// API server (istio-admin, istio-ops, istio-readonly) but not whether
// such a user may ask the authorization API: Kubernetes' own default
// (system:basic-user) lets every authenticated user ask; a locked-down
// server answers the review 403; a server or proxy that does not serve the
// authorization group answers 404, or 405 for the method.
const (
	// ReviewServed answers the review with a verdict: allowed, or denied
	// when the world's identity is ReadOnly.
	ReviewServed = ""
	// ReviewForbidden answers 403 for the review itself.
	ReviewForbidden = "forbidden"
	// ReviewNotFound answers 404: the authorization group is not served.
	ReviewNotFound = "not_found"
	// ReviewMethodNotAllowed answers 405 to the POST.
	ReviewMethodNotAllowed = "method_not_allowed"
)

// reviewAnswers lists every value of MeshAPIOptions.AccessReview, for the
// world's validation.
var reviewAnswers = []string{ReviewServed, ReviewForbidden, ReviewNotFound, ReviewMethodNotAllowed}

// checkAccessOptions refuses an AccessReview value the simulator does not
// know, naming the ones it does.
func (o MeshAPIOptions) checkAccessOptions() error {
	for _, a := range reviewAnswers {
		if o.AccessReview == a {
			return nil
		}
	}
	return fmt.Errorf("%q is not one of forbidden, not_found, method_not_allowed (or empty: served)", o.AccessReview)
}

// readOnlyReason is what the simulated RBAC authorizer says when the world's
// identity may only read: the words of a real API server's RBAC denial.
const readOnlyReason = `RBAC: the simulated identity is bound to istio-readonly only (mesh_api.read_only)`

// review answers a SelfSubjectAccessReview as the world's mesh_api options
// say: a verdict (allowed unless read_only denies a verb other than get,
// list and watch), or one of the non-answers above.
func (a *meshAPI) review(w http.ResponseWriter, r *http.Request) {
	gr := schema.GroupResource{Group: "authorization.k8s.io", Resource: "selfsubjectaccessreviews"}
	switch a.access.AccessReview {
	case ReviewForbidden:
		writeStatus(w, apierrors.NewForbidden(gr, "", fmt.Errorf(`User "simulated-ram-user" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope`)))
		return
	case ReviewNotFound:
		writeStatus(w, apierrors.NewNotFound(gr, ""))
		return
	case ReviewMethodNotAllowed:
		writeStatus(w, apierrors.NewMethodNotSupported(gr, r.Method))
		return
	}
	if r.Method != http.MethodPost {
		writeStatus(w, apierrors.NewMethodNotSupported(gr, r.Method))
		return
	}
	var review map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&review); err != nil {
		writeStatus(w, apierrors.NewBadRequest("the SelfSubjectAccessReview does not decode: "+err.Error()))
		return
	}
	verb := stringAt(review, "spec", "resourceAttributes", "verb")
	status := map[string]any{"allowed": true}
	if !a.mayDo(verb) {
		status = map[string]any{"allowed": false, "reason": readOnlyReason}
	}
	review["status"] = status
	writeJSON(w, http.StatusCreated, review)
}

// mayDo tells whether the world's identity may do verb: every verb, or
// only reads when mesh_api.read_only is set.
func (a *meshAPI) mayDo(verb string) bool {
	if !a.access.ReadOnly {
		return true
	}
	switch verb {
	case "get", "list", "watch":
		return true
	}
	return false
}

// refuseWrite answers 403 to a write the world's identity may not make, as
// a real API server's RBAC authorizer does, and tells whether it did.
func (a *meshAPI) refuseWrite(w http.ResponseWriter, r *http.Request, t target) bool {
	verb := map[string]string{http.MethodPost: "create", http.MethodPut: "update", http.MethodPatch: "patch", http.MethodDelete: "delete"}[r.Method]
	if verb == "" || a.mayDo(verb) {
		return false
	}
	writeStatus(w, apierrors.NewForbidden(t.k.groupResource(), t.name, fmt.Errorf("%s", readOnlyReason)))
	return true
}
