package kube

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/asmlink/asmlink/spec"
)

// ApplyStatus writes status with server-side apply, as this client's field
// manager, taking status over from any other manager: what ASM's own
// controller does. It goes through the status subresource when the server
// has one, else to the main resource with status alone (Shape), and leaves
// spec alone either way. Status entries this manager wrote before and st
// lacks are removed.
func (c *Client) ApplyStatus(ctx context.Context, st spec.Status) (*spec.ASMPvlConfig, error) {
	shape, err := c.Shape(ctx)
	if err != nil {
		return nil, err
	}
	statusObj, err := toUnstructured(&spec.ASMPvlConfig{Status: &st})
	if err != nil {
		return nil, err
	}
	u := newObject()
	if s, ok := statusObj.Object["status"]; ok {
		u.Object["status"] = s
	} else {
		u.Object["status"] = map[string]any{}
	}
	res, opts := c.c.Resource(GVR), metav1.ApplyOptions{FieldManager: c.manager, Force: true}
	if shape.StatusSubresource {
		u, err = res.ApplyStatus(ctx, u.GetName(), u, opts)
	} else {
		u, err = res.Apply(ctx, u.GetName(), u, opts)
	}
	if err != nil {
		return nil, c.wrap("writing the status of", err)
	}
	return fromUnstructured(u)
}
