package kube

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/asmlink/asmlink/spec"
)

// ApplyStatus writes status through the status subresource with
// server-side apply, as this client's field manager, taking status over from
// any other manager: what ASM's own controller does. It leaves spec alone.
// Status entries this manager wrote before and st lacks are removed.
func (c *Client) ApplyStatus(ctx context.Context, st spec.Status) (*spec.ASMPvlConfig, error) {
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
	if err := c.c.Status().Patch(ctx, u, client.Apply, client.FieldOwner(c.manager), client.ForceOwnership); err != nil {
		return nil, c.wrap("writing the status of", err)
	}
	return fromUnstructured(u)
}
