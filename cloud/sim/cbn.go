package sim

import (
	"net/http"
	"slices"
)

// cbn (CEN) 2017-09-12 handlers; wrapped lists, PageNumber/PageSize paging
// (default 10, at most 50).

func describeCens(st *State, c *call) (J, error) {
	var match []CEN
	for _, cen := range st.world.CENs {
		if id := c.param("Filter.1.Value.1"); c.param("Filter.1.Key") == "CenId" && id != "" && id != cen.ID {
			continue
		}
		match = append(match, cen)
	}
	num, size, lo, hi, err := pageByNumber(c, "PageNumber", "PageSize", 10, 50, len(match))
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, cen := range match[lo:hi] {
		list = append(list, J{"CenId": cen.ID, "Name": cen.Name, "Description": "", "Status": "Active",
			"CreationTime": "2024-06-12T03:18:44Z", "ProtectionLevel": "REDUCED", "Ipv6Level": "DISABLED", "ResourceGroupId": "rg-acfm2pz25js4kry",
			"CenBandwidthPackageIds": J{"CenBandwidthPackageId": []string{}}, "Tags": J{"Tag": []J{}}})
	}
	return J{"TotalCount": len(match), "PageNumber": num, "PageSize": size, "Cens": J{"Cen": list}}, nil
}

func describeCenAttachedChildInstances(st *State, c *call) (J, error) {
	id := c.param("CenId")
	if id == "" {
		return nil, missingParam("CenId")
	}
	i := slices.IndexFunc(st.world.CENs, func(cen CEN) bool { return cen.ID == id })
	if i < 0 {
		return nil, apiErr(http.StatusNotFound, "ParameterCenInstanceId", "The specified CEN instance %s does not exist.", id)
	}
	var match []J
	for _, vpcID := range st.world.CENs[i].VPCs {
		v := st.vpcs[vpcID]
		if (c.param("ChildInstanceRegionId") != "" && c.param("ChildInstanceRegionId") != v.Region) ||
			(c.param("ChildInstanceType") != "" && c.param("ChildInstanceType") != "VPC") {
			continue
		}
		match = append(match, J{"CenId": id, "ChildInstanceId": v.ID, "ChildInstanceType": "VPC", "ChildInstanceRegionId": v.Region,
			"ChildInstanceOwnerId": st.ownerID(), "Status": "Attached", "ChildInstanceAttachTime": "2024-06-12T03:25:10Z"})
	}
	num, size, lo, hi, err := pageByNumber(c, "PageNumber", "PageSize", 10, 50, len(match))
	if err != nil {
		return nil, err
	}
	return J{"TotalCount": len(match), "PageNumber": num, "PageSize": size, "ChildInstances": J{"ChildInstance": nonNil(match[lo:hi])}}, nil
}
