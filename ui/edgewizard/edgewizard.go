// Package edgewizard asks, through the run's prompter (huh), for what
// `asmlink edge endpoints` needs when it runs on a terminal without flags: the edge
// cluster, the endpoint services that cannot be found by name, and the
// data center's CIDR blocks. It only collects answers; the command plans,
// confirms and creates exactly as it does with flags.
package edgewizard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/prompt"
)

// Answers are the person's choices, in the form the command's flags take.
type Answers struct {
	ClusterID   string
	ACRService  string
	ACKService  string
	OnPremCIDRs []string
}

// Ask lists the region's ACK clusters (edge clusters first, marked), asks
// which one, looks up its endpoint services and asks for the ID of any
// that is not found by name, then asks for the on-premises CIDR blocks
// until they parse. Ctrl-C or the end of input returns prompt.ErrCancelled.
func Ask(ctx context.Context, p *prompt.Prompter, api cloud.EdgeAPI) (Answers, error) {
	var a Answers
	region := api.Identity().Region
	clusters, err := api.Clusters(ctx)
	if err != nil {
		return a, err
	}
	clusters = slices.DeleteFunc(clusters, func(c cloud.Cluster) bool { return c.RegionID != "" && c.RegionID != region })
	if len(clusters) == 0 {
		return a, fmt.Errorf("no ACK cluster in region %s: pass --region, or --cluster with the cluster's ID", region)
	}
	slices.SortStableFunc(clusters, func(x, y cloud.Cluster) int {
		return cmp.Or(-cmp.Compare(boolRank(x.IsEdge()), boolRank(y.IsEdge())), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	choices := make([]prompt.Choice, 0, len(clusters))
	for _, c := range clusters {
		label := fmt.Sprintf("%s  %s  VPC %s", cmp.Or(c.Name, c.ID), c.ID, c.VpcID)
		if c.IsEdge() {
			label += "  [edge]"
		}
		choices = append(choices, prompt.Choice{Label: label})
	}
	i, err := p.Select(ctx, fmt.Sprintf("Which cluster's edge nodes need the endpoints? (region %s)", region), choices, 0)
	if err != nil {
		return a, err
	}
	a.ClusterID = clusters[i].ID

	facts, err := flow.LoadEdgeFacts(ctx, api, a.ClusterID)
	if err != nil {
		return a, err
	}
	for _, s := range flow.EdgeServices {
		svc, problem := facts.FindService(s, "")
		if problem == "" {
			p.Say("%s: endpoint service %s (%s), zones %s", s.Title(), svc.ID, svc.Name, strings.Join(svc.Zones, ", "))
			continue
		}
		p.Say("%s: %s.", s.Title(), problem)
		id, err := askService(ctx, p, facts, s)
		if err != nil {
			return a, err
		}
		if s == flow.EdgeACR {
			a.ACRService = id
		} else {
			a.ACKService = id
		}
	}

	line, err := p.Input(ctx, "On-premises CIDR blocks of the edge nodes, comma-separated, to check for overlaps (- for none)", "-", func(line string) error {
		if line = strings.TrimSpace(line); line == "" || line == "-" {
			return nil
		}
		if _, err := flow.ParseOnPremCIDRs([]string{line}); err != nil {
			var ue *flow.EdgeUsageError
			if errors.As(err, &ue) {
				return errors.New(ue.Message)
			}
			return err
		}
		return nil
	})
	if err != nil || line == "-" {
		return a, err
	}
	a.OnPremCIDRs = []string{line}
	return a, nil
}

// askService asks for the ID or name of s's endpoint service until it is
// one the account can see.
func askService(ctx context.Context, p *prompt.Prompter, facts *flow.EdgeFacts, s flow.EdgeService) (string, error) {
	return p.Input(ctx, fmt.Sprintf("ID or name of the %s endpoint service (support gives it; same as %s)", s.Title(), s.Flag()), "", func(id string) error {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("An endpoint service is needed: submit a ticket to have the %s service published to this account, then run again.", s.Title())
		}
		if _, problem := facts.FindService(s, strings.TrimSpace(id)); problem != "" {
			return errors.New(problem + ".")
		}
		return nil
	})
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
