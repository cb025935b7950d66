package io.pointsledger.campaigns;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Campaigns, managed by the program operator: created as drafts, changed by version, activated,
 * paused and ended. Every answer about one campaign carries its version as the ETag, which a
 * change names in If-Match.
 */
@Path("/v1/admin/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private static final String IF_MATCH = IfMatch.HEADER;

    private final CampaignService campaigns;
    private final ActiveCampaigns active;
    private final CurrentCaller caller;

    CampaignResource(CampaignService campaigns, ActiveCampaigns active, CurrentCaller caller) {
        this.campaigns = campaigns;
        this.active = active;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCampaign", summary = "Create a campaign, as a draft",
            description = "Scope: admin. Audited. Nothing applies until the campaign is activated.")
    @APIResponse(responseCode = "201", description = "Created, at version 1", headers = {
            @Header(name = "Location", required = true, description = "The new campaign",
                    schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            @Header(name = "ETag", required = true, description = "The campaign's version, quoted",
                    schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_DEFINITION_NOT_FOUND, SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid CampaignDefinition definition) {
        return campaigns.create(caller.get(), definition).map(campaign -> Response
                .created(URI.create("/v1/admin/campaigns/" + campaign.campaignId()))
                .tag(etag(campaign)).entity(campaign).build());
    }

    @GET
    @Operation(operationId = "listCampaigns", summary = "Campaigns, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of campaigns")
    @RequiresScope(Scope.ADMIN)
    public Uni<CampaignPage> page(
            @Parameter(description = "Only campaigns in this status", schema = @Schema(implementation = CampaignStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Campaigns per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + CampaignsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return campaigns.page(status, cursor, limit);
    }

    @GET
    @Path("/active")
    @Operation(operationId = "listActiveCampaigns", summary = "The active campaigns as this instance applies them now",
            description = "Scope: admin. The answering instance's copy and its revision: every instance reaches the "
                    + "latest revision within a second of a change (a Redis broadcast), or within the refresh interval "
                    + "(5 s) when the broadcast is lost.")
    @APIResponse(responseCode = "200", description = "This instance's copy")
    @RequiresScope(Scope.ADMIN)
    public ActiveCampaignSet active() {
        ActiveCampaigns.Snapshot snapshot = active.current();
        return new ActiveCampaignSet(snapshot.revision(), snapshot.campaigns());
    }

    @GET
    @Path("/{campaignId}")
    @Operation(operationId = "findCampaign", summary = "A campaign at its current version", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The campaign", headers = @Header(name = "ETag", required = true,
            description = "The campaign's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAMPAIGN_NOT_FOUND")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> find(@RestPath UUID campaignId) {
        return campaigns.find(campaignId).map(CampaignResource::withTag);
    }

    @PUT
    @Path("/{campaignId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateCampaign", summary = "Replace a campaign's definition",
            description = "Scope: admin. Audited. Writes the next version, keeping the status: an active campaign "
                    + "applies it from the next earn on. If-Match names the version the change is made against.")
    @APIResponse(responseCode = "200", description = "The campaign at its new version", headers = @Header(name = "ETag",
            required = true, description = "The campaign's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES,
            value = "CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, CAMPAIGN_VERSION_MISMATCH, IF_MATCH_REQUIRED, "
                    + "COUPON_DEFINITION_NOT_FOUND, SEGMENT_NOT_FOUND")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> update(@RestPath UUID campaignId, @Parameter(description = "The version the change is made against, as the campaign's ETag gives it") @RestHeader(IF_MATCH) String ifMatch,
            @NotNull @Valid CampaignDefinition definition) {
        return campaigns.update(caller.get(), campaignId, IfMatch.required(ifMatch, "campaign"), definition).map(CampaignResource::withTag);
    }

    @POST
    @Path("/{campaignId}/activate")
    @Operation(operationId = "activateCampaign", summary = "Activate a campaign",
            description = "Scope: admin. Audited. A draft or paused campaign applies from the next earn on; an active "
                    + "one is left as it is.")
    @APIResponse(responseCode = "200", description = "The campaign, active", headers = @Header(name = "ETag",
            required = true, description = "The campaign's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES,
            value = "CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, CAMPAIGN_VERSION_MISMATCH, ACTIVE_CAMPAIGN_LIMIT_REACHED")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> activate(@RestPath UUID campaignId, @Parameter(description = "The version the change is made against, as the campaign's ETag gives it") @RestHeader(IF_MATCH) String ifMatch) {
        return moveTo(campaignId, ifMatch, CampaignStatus.ACTIVE);
    }

    @POST
    @Path("/{campaignId}/pause")
    @Operation(operationId = "pauseCampaign", summary = "Pause an active campaign",
            description = "Scope: admin. Audited. Stops applying from the next earn on; activate it again to resume.")
    @APIResponse(responseCode = "200", description = "The campaign, paused", headers = @Header(name = "ETag",
            required = true, description = "The campaign's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, CAMPAIGN_VERSION_MISMATCH")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> pause(@RestPath UUID campaignId, @Parameter(description = "The version the change is made against, as the campaign's ETag gives it") @RestHeader(IF_MATCH) String ifMatch) {
        return moveTo(campaignId, ifMatch, CampaignStatus.PAUSED);
    }

    @POST
    @Path("/{campaignId}/end")
    @Operation(operationId = "endCampaign", summary = "End a campaign, for good",
            description = "Scope: admin. Audited. Stops applying from the next earn on; an ended campaign never changes "
                    + "again. Its versions stay readable.")
    @APIResponse(responseCode = "200", description = "The campaign, ended", headers = @Header(name = "ETag",
            required = true, description = "The campaign's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAMPAIGN_NOT_FOUND, CAMPAIGN_VERSION_MISMATCH")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> end(@RestPath UUID campaignId, @Parameter(description = "The version the change is made against, as the campaign's ETag gives it") @RestHeader(IF_MATCH) String ifMatch) {
        return moveTo(campaignId, ifMatch, CampaignStatus.ENDED);
    }

    @GET
    @Path("/{campaignId}/versions")
    @Operation(operationId = "listCampaignVersions", summary = "A campaign's versions, newest first",
            description = "Scope: admin. Each version as it was written, by whom and when.")
    @APIResponse(responseCode = "200", description = "One page of versions")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAMPAIGN_NOT_FOUND")
    @Parameter(name = "campaignId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<CampaignVersionPage> versions(@RestPath UUID campaignId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Versions per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + CampaignsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return campaigns.versions(campaignId, cursor, limit);
    }

    private Uni<Response> moveTo(UUID campaignId, String ifMatch, CampaignStatus status) {
        return campaigns.moveTo(caller.get(), campaignId, IfMatch.version(ifMatch, "campaign"), status).map(CampaignResource::withTag);
    }

    private static Response withTag(Campaign campaign) {
        return IfMatch.tagged(campaign, campaign.version());
    }

    private static EntityTag etag(Campaign campaign) {
        return new EntityTag(Long.toString(campaign.version()));
    }
}
