package cloud

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// servicemesh does not answer a wrong or foreign mesh ID with a clean 404:
// DescribeServiceMeshDetail and DescribeServiceMeshKubeconfig give
// ServiceMesh.NotFound, StatusForbidden (403), 500 or 503. Terraform's
// alicloud_service_mesh_service_mesh takes both ServiceMesh.NotFound and
// StatusForbidden as "gone" (aliyun/terraform-provider-alicloud,
// service_alicloud_service_mesh.go). So before blaming RAM or the service,
// asmlink lists the region's meshes: an ID that is not among them is a
// wrong ID or region, said so with the nearest names.

// meshCheck returns the check callChecked runs after the first failure of
// a call naming meshID: when the region's listing does not hold meshID, it
// is a *Error of KindNotFound that lists the region's meshes and suggests
// the nearest one. When the listing fails, holds the mesh, or the failure
// is about credentials or throttling, the failure stands as it is.
func (c *Client) meshCheck(meshID string) func(context.Context, *Error) error {
	return func(ctx context.Context, e *Error) error {
		switch e.Kind {
		case KindPermission, KindNotFound, KindUnavailable, KindInvalid, KindUnknown:
		default:
			return nil
		}
		meshes, err := c.Meshes(ctx)
		if err != nil || slices.ContainsFunc(meshes, func(m Mesh) bool { return m.ID == meshID }) {
			return nil
		}
		return &Error{
			Kind: KindNotFound, API: e.API, Code: e.Code, HTTPStatus: e.HTTPStatus, RequestID: e.RequestID, Attempts: e.Attempts,
			Message: fmt.Sprintf("region %s has no ASM instance %s (the cloud answered %s)", c.region, meshID, answered(e)),
			Hint:    meshHint(meshID, c.region, meshes),
		}
	}
}

// answered names the cloud's answer in a few words: "StatusForbidden, HTTP 403".
func answered(e *Error) string {
	switch {
	case e.Code != "" && e.HTTPStatus != 0:
		return fmt.Sprintf("%s, HTTP %d", e.Code, e.HTTPStatus)
	case e.Code != "":
		return e.Code
	case e.HTTPStatus != 0:
		return fmt.Sprintf("HTTP %d", e.HTTPStatus)
	}
	return e.Kind.String()
}

// meshHint says what to do about a mesh ID the region does not have: the
// ID of a mesh given by name, else the nearest mesh by name or ID, and the
// region's meshes.
func meshHint(meshID, region string, meshes []Mesh) string {
	if len(meshes) == 0 {
		return fmt.Sprintf("region %s has no ASM instance at all: pass --region with the instance's region", region)
	}
	if i := slices.IndexFunc(meshes, func(m Mesh) bool { return strings.EqualFold(m.Name, meshID) }); i >= 0 {
		return fmt.Sprintf("%s is the name of ASM instance %s: pass its ID, --mesh %s", meshID, meshes[i].ID, meshes[i].ID)
	}
	best, bestD := meshes[0], -1
	for _, m := range meshes {
		d := min(EditDistance(strings.ToLower(meshID), m.ID), EditDistance(strings.ToLower(meshID), strings.ToLower(m.Name)))
		if bestD < 0 || d < bestD {
			best, bestD = m, d
		}
	}
	names := make([]string, 0, len(meshes))
	for _, m := range meshes[:min(len(meshes), 5)] {
		names = append(names, m.ID+" ("+m.Name+")")
	}
	more := ""
	if len(meshes) > 5 {
		more = fmt.Sprintf(" and %d more", len(meshes)-5)
	}
	return fmt.Sprintf("did you mean %s (%s)? Check --mesh, or pass --region if the instance is in another region; region %s has %s%s",
		best.ID, best.Name, region, strings.Join(names, ", "), more)
}

// EditDistance is the Levenshtein distance between a and b, by bytes. It
// ranks the nearest mesh here, and flow's nearest names and flags.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
