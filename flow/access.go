package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/asmlink/asmlink/spec"
)

// CodeWriteAccess is doctor's check of the permission review that apply
// and remove run before a write.
const CodeWriteAccess spec.Code = "PVL149"

// Access is what the ASM API server answered to the permission review
// apply and remove run before they write (a SelfSubjectAccessReview per
// verb): whether the kubeconfig's identity may patch and create
// ASMPvlConfig/default, the server's reason when it denies, or Err when
// it gave no verdict.
type Access struct {
	Patch, Create bool
	Reason        string
	// Err is why there is no verdict. An error with a NoVerdict method
	// that returns true (cloud/kube's NoVerdictError: the review itself
	// forbidden, the authorization API not served) is not a refusal.
	Err error
}

// noVerdict tells whether err is an answer that is not a verdict, which
// only warns: the write itself will say whether it is allowed.
func noVerdict(err error) bool {
	var nv interface{ NoVerdict() bool }
	return errors.As(err, &nv) && nv.NoVerdict()
}

// accessCatalog holds the permission check, which doctor runs after the
// API server answered. A RAM user has no RBAC binding on the ASM API
// server by default ("Grant RBAC permissions to a RAM user", ASM
// documentation: roles istio-admin, istio-ops and istio-readonly, and only
// the first two may change resources).
var accessCatalog = []Check{
	{Code: CodeWriteAccess, Category: CategoryAPIServer, Severity: spec.Error, DependsOn: []spec.Code{CodeCloudAccess, CodeAPIServer},
		Description: "the kubeconfig's identity may write ASMPvlConfig/default (patch, and create while there is none), as apply and remove ask before a write",
		Hint:        "grant the identity ASM's istio-admin or istio-ops role for the mesh (ASM console, RBAC authorization, or `aliyun servicemesh GrantUserPermissions`); istio-readonly may only read",
		Run:         checkWriteAccess},
}

func checkWriteAccess(_ context.Context, e *Env) Result {
	l, r := e.live()
	if r != nil {
		return *r
	}
	a := l.Access
	switch {
	case a == nil:
		return skip("the ASM API server was not asked for a permission review")
	case noVerdict(a.Err):
		return Result{Status: StatusWarn, Message: "could not check permissions first: " + a.Err.Error() + "; a write will say whether it is allowed"}
	case a.Err != nil:
		return problem("the permission review got no answer: " + a.Err.Error())
	}
	var denied []string
	if !a.Patch {
		denied = append(denied, "patch")
	}
	if !a.Create && l.Observation.Config == nil {
		denied = append(denied, "create")
	}
	if len(denied) > 0 {
		msg := fmt.Sprintf("the kubeconfig's identity may not %s %s on the ASM API server, so apply and remove would be refused", strings.Join(denied, " or "), spec.Resource)
		if a.Reason != "" {
			return problem(msg, a.Reason)
		}
		return problem(msg)
	}
	verbs := "patch"
	if a.Create {
		verbs = "patch and create"
	}
	return passf("the kubeconfig's identity may %s %s/%s", verbs, spec.Kind, spec.Name)
}
