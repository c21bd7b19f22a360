export const id = 534;
export const ids = [534];
export const modules = {

/***/ 2534:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin, createPaginator } = __webpack_require__(8021);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(2658);
const { Command: $Command } = __webpack_require__(2658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(7291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(2085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(3422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(3609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(6890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(7523);
const { defaultProvider } = __webpack_require__(5861);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(2430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(1279);
const { AwsJson1_1Protocol } = __webpack_require__(7288);
const { Sha256 } = __webpack_require__(9542);

const defaultIdentitystoreHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "identitystore",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
const defaultIdentitystoreHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "identitystore",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.1137.0";
var packageInfo = {
	version: version};

const k = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
const _data = {
    conditions: [
        [c, [g]],
        [c, j],
        ["aws.partition", j, d],
        [e, [{ [k]: "UseFIPS" }, b]],
        [e, [{ [k]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
        [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
        ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [g, i],
        ["https://identitystore-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://identitystore.{Region}.amazonaws.com", i],
        ["https://identitystore-fips.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://identitystore.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://identitystore.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 13, 3,
    1, 4, r + 12,
    2, 5, r + 12,
    3, 8, 6,
    4, 7, r + 11,
    5, r + 9, r + 10,
    4, 11, 9,
    6, 10, r + 8,
    7, r + 6, r + 7,
    5, 12, r + 5,
    6, r + 4, r + 5,
    3, r + 1, 14,
    4, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class IdentitystoreServiceException extends ServiceException {
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, IdentitystoreServiceException.prototype);
    }
}

class AccessDeniedException extends IdentitystoreServiceException {
    name = "AccessDeniedException";
    $fault = "client";
    Message;
    RequestId;
    Reason;
    constructor(opts) {
        super({
            name: "AccessDeniedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AccessDeniedException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
        this.Reason = opts.Reason;
    }
}
class InternalServerException extends IdentitystoreServiceException {
    name = "InternalServerException";
    $fault = "server";
    $retryable = {};
    Message;
    RequestId;
    RetryAfterSeconds;
    constructor(opts) {
        super({
            name: "InternalServerException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalServerException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
        this.RetryAfterSeconds = opts.RetryAfterSeconds;
    }
}
class ResourceNotFoundException extends IdentitystoreServiceException {
    name = "ResourceNotFoundException";
    $fault = "client";
    ResourceType;
    ResourceId;
    Reason;
    Message;
    RequestId;
    constructor(opts) {
        super({
            name: "ResourceNotFoundException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
        this.ResourceType = opts.ResourceType;
        this.ResourceId = opts.ResourceId;
        this.Reason = opts.Reason;
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
    }
}
class ThrottlingException extends IdentitystoreServiceException {
    name = "ThrottlingException";
    $fault = "client";
    $retryable = {
        throttling: true,
    };
    Message;
    RequestId;
    RetryAfterSeconds;
    Reason;
    constructor(opts) {
        super({
            name: "ThrottlingException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ThrottlingException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
        this.RetryAfterSeconds = opts.RetryAfterSeconds;
        this.Reason = opts.Reason;
    }
}
class ValidationException extends IdentitystoreServiceException {
    name = "ValidationException";
    $fault = "client";
    Message;
    RequestId;
    Reason;
    constructor(opts) {
        super({
            name: "ValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ValidationException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
        this.Reason = opts.Reason;
    }
}
class ConflictException extends IdentitystoreServiceException {
    name = "ConflictException";
    $fault = "client";
    Message;
    RequestId;
    Reason;
    constructor(opts) {
        super({
            name: "ConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ConflictException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
        this.Reason = opts.Reason;
    }
}
class ServiceQuotaExceededException extends IdentitystoreServiceException {
    name = "ServiceQuotaExceededException";
    $fault = "client";
    Message;
    RequestId;
    constructor(opts) {
        super({
            name: "ServiceQuotaExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ServiceQuotaExceededException.prototype);
        this.Message = opts.Message;
        this.RequestId = opts.RequestId;
    }
}

const _A = "Address";
const _ADE = "AccessDeniedException";
const _AI = "AlternateIdentifier";
const _AO = "AttributeOperation";
const _AOt = "AttributeOperations";
const _AP = "AttributePath";
const _AV = "AttributeValue";
const _Ad = "Addresses";
const _B = "Birthdate";
const _C = "Country";
const _CA = "CreatedAt";
const _CB = "CreatedBy";
const _CE = "ConflictException";
const _CG = "CreateGroup";
const _CGM = "CreateGroupMembership";
const _CGMR = "CreateGroupMembershipRequest";
const _CGMRr = "CreateGroupMembershipResponse";
const _CGR = "CreateGroupRequest";
const _CGRr = "CreateGroupResponse";
const _CU = "CreateUser";
const _CUR = "CreateUserRequest";
const _CURr = "CreateUserResponse";
const _D = "Description";
const _DG = "DeleteGroup";
const _DGM = "DeleteGroupMembership";
const _DGMR = "DeleteGroupMembershipRequest";
const _DGMRe = "DeleteGroupMembershipResponse";
const _DGMRes = "DescribeGroupMembershipRequest";
const _DGMResc = "DescribeGroupMembershipResponse";
const _DGMe = "DescribeGroupMembership";
const _DGR = "DeleteGroupRequest";
const _DGRe = "DeleteGroupResponse";
const _DGRes = "DescribeGroupRequest";
const _DGResc = "DescribeGroupResponse";
const _DGe = "DescribeGroup";
const _DN = "DisplayName";
const _DU = "DeleteUser";
const _DUR = "DeleteUserRequest";
const _DURe = "DeleteUserResponse";
const _DURes = "DescribeUserRequest";
const _DUResc = "DescribeUserResponse";
const _DUe = "DescribeUser";
const _Di = "Display";
const _E = "Emails";
const _EI = "ExternalIds";
const _EII = "ExternalIdIdentifier";
const _EIIx = "ExternalIdIssuer";
const _EIx = "ExternalId";
const _Em = "Email";
const _Ex = "Extensions";
const _F = "Formatted";
const _FN = "FamilyName";
const _Fi = "Filter";
const _Fil = "Filters";
const _G = "Group";
const _GDN = "GroupDisplayName";
const _GGI = "GetGroupId";
const _GGIR = "GetGroupIdRequest";
const _GGIRe = "GetGroupIdResponse";
const _GGMI = "GetGroupMembershipId";
const _GGMIR = "GetGroupMembershipIdRequest";
const _GGMIRe = "GetGroupMembershipIdResponse";
const _GI = "GroupId";
const _GIr = "GroupIds";
const _GM = "GroupMembership";
const _GMER = "GroupMembershipExistenceResult";
const _GMERr = "GroupMembershipExistenceResults";
const _GMr = "GroupMemberships";
const _GN = "GivenName";
const _GUI = "GetUserId";
const _GUIR = "GetUserIdRequest";
const _GUIRe = "GetUserIdResponse";
const _Gr = "Groups";
const _HP = "HonorificPrefix";
const _HS = "HonorificSuffix";
const _I = "Issuer";
const _IMIG = "IsMemberInGroups";
const _IMIGR = "IsMemberInGroupsRequest";
const _IMIGRs = "IsMemberInGroupsResponse";
const _ISE = "InternalServerException";
const _ISI = "IdentityStoreId";
const _Id = "Id";
const _L = "Locality";
const _LG = "ListGroups";
const _LGM = "ListGroupMemberships";
const _LGMFM = "ListGroupMembershipsForMember";
const _LGMFMR = "ListGroupMembershipsForMemberRequest";
const _LGMFMRi = "ListGroupMembershipsForMemberResponse";
const _LGMR = "ListGroupMembershipsRequest";
const _LGMRi = "ListGroupMembershipsResponse";
const _LGR = "ListGroupsRequest";
const _LGRi = "ListGroupsResponse";
const _LU = "ListUsers";
const _LUR = "ListUsersRequest";
const _LURi = "ListUsersResponse";
const _Lo = "Locale";
const _M = "Message";
const _ME = "MembershipExists";
const _MI = "MemberId";
const _MIe = "MembershipId";
const _MN = "MiddleName";
const _MR = "MaxResults";
const _N = "Name";
const _NN = "NickName";
const _NT = "NextToken";
const _O = "Operations";
const _P = "Primary";
const _PC = "PostalCode";
const _PL = "PreferredLanguage";
const _PN = "PhoneNumbers";
const _PNh = "PhoneNumber";
const _PU = "ProfileUrl";
const _Ph = "Photos";
const _Pho = "Photo";
const _R = "Reason";
const _RA = "Retry-After";
const _RAS = "RetryAfterSeconds";
const _RI = "RequestId";
const _RIe = "ResourceId";
const _RNFE = "ResourceNotFoundException";
const _RT = "ResourceType";
const _Re = "Region";
const _Res = "Results";
const _Ro = "Roles";
const _Rol = "Role";
const _SA = "StreetAddress";
const _SQEE = "ServiceQuotaExceededException";
const _SST = "SensitiveStringType";
const _T = "Type";
const _TE = "ThrottlingException";
const _Ti = "Title";
const _Tim = "Timezone";
const _U = "Users";
const _UA = "UpdatedAt";
const _UAn = "UniqueAttribute";
const _UB = "UpdatedBy";
const _UG = "UpdateGroup";
const _UGR = "UpdateGroupRequest";
const _UGRp = "UpdateGroupResponse";
const _UI = "UserId";
const _UN = "UserName";
const _US = "UserStatus";
const _UT = "UserType";
const _UU = "UpdateUser";
const _UUR = "UpdateUserRequest";
const _UURp = "UpdateUserResponse";
const _Us = "User";
const _V = "Value";
const _VE = "ValidationException";
const _W = "Website";
const _c = "client";
const _e = "error";
const _hE = "httpError";
const _hH = "httpHeader";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.identitystore";
const _se = "server";
const n0 = "com.amazonaws.identitystore";
const _s_registry = new TypeRegistry(_s);
var IdentitystoreServiceException$ = [-3, _s, "IdentitystoreServiceException", 0, [], []];
_s_registry.registerError(IdentitystoreServiceException$, IdentitystoreServiceException);
const n0_registry = new TypeRegistry(n0);
var AccessDeniedException$ = [-3, n0, _ADE,
    { [_e]: _c, [_hE]: 403 },
    [_M, _RI, _R],
    [0, 0, 0]
];
n0_registry.registerError(AccessDeniedException$, AccessDeniedException);
var ConflictException$ = [-3, n0, _CE,
    { [_e]: _c, [_hE]: 409 },
    [_M, _RI, _R],
    [0, 0, 0]
];
n0_registry.registerError(ConflictException$, ConflictException);
var InternalServerException$ = [-3, n0, _ISE,
    { [_e]: _se, [_hE]: 500 },
    [_M, _RI, _RAS],
    [0, 0, [1, { [_hH]: _RA }]]
];
n0_registry.registerError(InternalServerException$, InternalServerException);
var ResourceNotFoundException$ = [-3, n0, _RNFE,
    { [_e]: _c, [_hE]: 404 },
    [_RT, _RIe, _R, _M, _RI],
    [0, 0, 0, 0, 0]
];
n0_registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
var ServiceQuotaExceededException$ = [-3, n0, _SQEE,
    { [_e]: _c, [_hE]: 402 },
    [_M, _RI],
    [0, 0]
];
n0_registry.registerError(ServiceQuotaExceededException$, ServiceQuotaExceededException);
var ThrottlingException$ = [-3, n0, _TE,
    { [_e]: _c, [_hE]: 429 },
    [_M, _RI, _RAS, _R],
    [0, 0, [1, { [_hH]: _RA }], 0]
];
n0_registry.registerError(ThrottlingException$, ThrottlingException);
var ValidationException$ = [-3, n0, _VE,
    { [_e]: _c, [_hE]: 400 },
    [_M, _RI, _R],
    [0, 0, 0]
];
n0_registry.registerError(ValidationException$, ValidationException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var ExternalIdIdentifier = [0, n0, _EII, 8, 0];
var ExternalIdIssuer = [0, n0, _EIIx, 8, 0];
var GroupDisplayName = [0, n0, _GDN, 8, 0];
var SensitiveStringType = [0, n0, _SST, 8, 0];
var UserName = [0, n0, _UN, 8, 0];
var Address$ = [3, n0, _A,
    0,
    [_SA, _L, _Re, _PC, _C, _F, _T, _P],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 2]
];
var AttributeOperation$ = [3, n0, _AO,
    0,
    [_AP, _AV],
    [0, 15], 1
];
var CreateGroupMembershipRequest$ = [3, n0, _CGMR,
    0,
    [_ISI, _GI, _MI],
    [0, 0, () => MemberId$], 3
];
var CreateGroupMembershipResponse$ = [3, n0, _CGMRr,
    0,
    [_MIe, _ISI],
    [0, 0], 2
];
var CreateGroupRequest$ = [3, n0, _CGR,
    0,
    [_ISI, _DN, _D],
    [0, [() => GroupDisplayName, 0], [() => SensitiveStringType, 0]], 1
];
var CreateGroupResponse$ = [3, n0, _CGRr,
    0,
    [_GI, _ISI],
    [0, 0], 2
];
var CreateUserRequest$ = [3, n0, _CUR,
    0,
    [_ISI, _UN, _N, _DN, _NN, _PU, _E, _Ad, _PN, _UT, _Ti, _PL, _Lo, _Tim, _Ph, _W, _B, _Ro, _Ex],
    [0, [() => UserName, 0], [() => Name$, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Emails, 0], [() => Addresses, 0], [() => PhoneNumbers, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Photos, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Roles, 0], 128 | 15], 1
];
var CreateUserResponse$ = [3, n0, _CURr,
    0,
    [_ISI, _UI],
    [0, 0], 2
];
var DeleteGroupMembershipRequest$ = [3, n0, _DGMR,
    0,
    [_ISI, _MIe],
    [0, 0], 2
];
var DeleteGroupMembershipResponse$ = [3, n0, _DGMRe,
    0,
    [],
    []
];
var DeleteGroupRequest$ = [3, n0, _DGR,
    0,
    [_ISI, _GI],
    [0, 0], 2
];
var DeleteGroupResponse$ = [3, n0, _DGRe,
    0,
    [],
    []
];
var DeleteUserRequest$ = [3, n0, _DUR,
    0,
    [_ISI, _UI],
    [0, 0], 2
];
var DeleteUserResponse$ = [3, n0, _DURe,
    0,
    [],
    []
];
var DescribeGroupMembershipRequest$ = [3, n0, _DGMRes,
    0,
    [_ISI, _MIe],
    [0, 0], 2
];
var DescribeGroupMembershipResponse$ = [3, n0, _DGMResc,
    0,
    [_ISI, _MIe, _GI, _MI, _CA, _UA, _CB, _UB],
    [0, 0, 0, () => MemberId$, 4, 4, 0, 0], 4
];
var DescribeGroupRequest$ = [3, n0, _DGRes,
    0,
    [_ISI, _GI],
    [0, 0], 2
];
var DescribeGroupResponse$ = [3, n0, _DGResc,
    0,
    [_GI, _ISI, _DN, _EI, _D, _CA, _UA, _CB, _UB],
    [0, 0, [() => GroupDisplayName, 0], [() => ExternalIds, 0], [() => SensitiveStringType, 0], 4, 4, 0, 0], 2
];
var DescribeUserRequest$ = [3, n0, _DURes,
    0,
    [_ISI, _UI, _Ex],
    [0, 0, 64 | 0], 2
];
var DescribeUserResponse$ = [3, n0, _DUResc,
    0,
    [_ISI, _UI, _UN, _EI, _N, _DN, _NN, _PU, _E, _Ad, _PN, _UT, _Ti, _PL, _Lo, _Tim, _US, _Ph, _W, _B, _Ro, _CA, _CB, _UA, _UB, _Ex],
    [0, 0, [() => UserName, 0], [() => ExternalIds, 0], [() => Name$, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Emails, 0], [() => Addresses, 0], [() => PhoneNumbers, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 0, [() => Photos, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Roles, 0], 4, 0, 4, 0, 128 | 15], 2
];
var Email$ = [3, n0, _Em,
    0,
    [_V, _T, _P],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 2]
];
var ExternalId$ = [3, n0, _EIx,
    0,
    [_I, _Id],
    [[() => ExternalIdIssuer, 0], [() => ExternalIdIdentifier, 0]], 2
];
var Filter$ = [3, n0, _Fi,
    0,
    [_AP, _AV],
    [0, [() => SensitiveStringType, 0]], 2
];
var GetGroupIdRequest$ = [3, n0, _GGIR,
    0,
    [_ISI, _AI],
    [0, [() => AlternateIdentifier$, 0]], 2
];
var GetGroupIdResponse$ = [3, n0, _GGIRe,
    0,
    [_GI, _ISI],
    [0, 0], 2
];
var GetGroupMembershipIdRequest$ = [3, n0, _GGMIR,
    0,
    [_ISI, _GI, _MI],
    [0, 0, () => MemberId$], 3
];
var GetGroupMembershipIdResponse$ = [3, n0, _GGMIRe,
    0,
    [_MIe, _ISI],
    [0, 0], 2
];
var GetUserIdRequest$ = [3, n0, _GUIR,
    0,
    [_ISI, _AI],
    [0, [() => AlternateIdentifier$, 0]], 2
];
var GetUserIdResponse$ = [3, n0, _GUIRe,
    0,
    [_ISI, _UI],
    [0, 0], 2
];
var Group$ = [3, n0, _G,
    0,
    [_GI, _ISI, _DN, _EI, _D, _CA, _UA, _CB, _UB],
    [0, 0, [() => GroupDisplayName, 0], [() => ExternalIds, 0], [() => SensitiveStringType, 0], 4, 4, 0, 0], 2
];
var GroupMembership$ = [3, n0, _GM,
    0,
    [_ISI, _MIe, _GI, _MI, _CA, _UA, _CB, _UB],
    [0, 0, 0, () => MemberId$, 4, 4, 0, 0], 1
];
var GroupMembershipExistenceResult$ = [3, n0, _GMER,
    0,
    [_GI, _MI, _ME],
    [0, () => MemberId$, 2]
];
var IsMemberInGroupsRequest$ = [3, n0, _IMIGR,
    0,
    [_ISI, _MI, _GIr],
    [0, () => MemberId$, 64 | 0], 3
];
var IsMemberInGroupsResponse$ = [3, n0, _IMIGRs,
    0,
    [_Res],
    [() => GroupMembershipExistenceResults], 1
];
var ListGroupMembershipsForMemberRequest$ = [3, n0, _LGMFMR,
    0,
    [_ISI, _MI, _MR, _NT],
    [0, () => MemberId$, 1, 0], 2
];
var ListGroupMembershipsForMemberResponse$ = [3, n0, _LGMFMRi,
    0,
    [_GMr, _NT],
    [() => GroupMemberships, 0], 1
];
var ListGroupMembershipsRequest$ = [3, n0, _LGMR,
    0,
    [_ISI, _GI, _MR, _NT],
    [0, 0, 1, 0], 2
];
var ListGroupMembershipsResponse$ = [3, n0, _LGMRi,
    0,
    [_GMr, _NT],
    [() => GroupMemberships, 0], 1
];
var ListGroupsRequest$ = [3, n0, _LGR,
    0,
    [_ISI, _MR, _NT, _Fil],
    [0, 1, 0, [() => Filters, 0]], 1
];
var ListGroupsResponse$ = [3, n0, _LGRi,
    0,
    [_Gr, _NT],
    [[() => Groups, 0], 0], 1
];
var ListUsersRequest$ = [3, n0, _LUR,
    0,
    [_ISI, _Ex, _MR, _NT, _Fil],
    [0, 64 | 0, 1, 0, [() => Filters, 0]], 1
];
var ListUsersResponse$ = [3, n0, _LURi,
    0,
    [_U, _NT],
    [[() => Users, 0], 0], 1
];
var Name$ = [3, n0, _N,
    0,
    [_F, _FN, _GN, _MN, _HP, _HS],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0]]
];
var PhoneNumber$ = [3, n0, _PNh,
    0,
    [_V, _T, _P],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 2]
];
var Photo$ = [3, n0, _Pho,
    0,
    [_V, _T, _Di, _P],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 2], 1
];
var Role$ = [3, n0, _Rol,
    0,
    [_V, _T, _P],
    [[() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 2]
];
var UniqueAttribute$ = [3, n0, _UAn,
    0,
    [_AP, _AV],
    [0, 15], 2
];
var UpdateGroupRequest$ = [3, n0, _UGR,
    0,
    [_ISI, _GI, _O],
    [0, 0, () => AttributeOperations], 3
];
var UpdateGroupResponse$ = [3, n0, _UGRp,
    0,
    [],
    []
];
var UpdateUserRequest$ = [3, n0, _UUR,
    0,
    [_ISI, _UI, _O],
    [0, 0, () => AttributeOperations], 3
];
var UpdateUserResponse$ = [3, n0, _UURp,
    0,
    [],
    []
];
var User$ = [3, n0, _Us,
    0,
    [_ISI, _UI, _UN, _EI, _N, _DN, _NN, _PU, _E, _Ad, _PN, _UT, _Ti, _PL, _Lo, _Tim, _US, _Ph, _W, _B, _Ro, _CA, _CB, _UA, _UB, _Ex],
    [0, 0, [() => UserName, 0], [() => ExternalIds, 0], [() => Name$, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Emails, 0], [() => Addresses, 0], [() => PhoneNumbers, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], 0, [() => Photos, 0], [() => SensitiveStringType, 0], [() => SensitiveStringType, 0], [() => Roles, 0], 4, 0, 4, 0, 128 | 15], 2
];
var Addresses = [1, n0, _Ad,
    0, [() => Address$,
        0]
];
var AttributeOperations = [1, n0, _AOt,
    0, () => AttributeOperation$
];
var Emails = [1, n0, _E,
    0, [() => Email$,
        0]
];
var ExternalIds = [1, n0, _EI,
    0, [() => ExternalId$,
        0]
];
var Filters = [1, n0, _Fil,
    0, [() => Filter$,
        0]
];
var GroupMembershipExistenceResults = [1, n0, _GMERr,
    0, () => GroupMembershipExistenceResult$
];
var GroupMemberships = [1, n0, _GMr,
    0, () => GroupMembership$
];
var Groups = [1, n0, _Gr,
    0, [() => Group$,
        0]
];
var PhoneNumbers = [1, n0, _PN,
    0, [() => PhoneNumber$,
        0]
];
var Photos = [1, n0, _Ph,
    0, [() => Photo$,
        0]
];
var Roles = [1, n0, _Ro,
    0, [() => Role$,
        0]
];
var Users = [1, n0, _U,
    0, [() => User$,
        0]
];
var AlternateIdentifier$ = [4, n0, _AI,
    0,
    [_EIx, _UAn],
    [[() => ExternalId$, 0], () => UniqueAttribute$]
];
var MemberId$ = [4, n0, _MI,
    0,
    [_UI],
    [0]
];
var CreateGroup$ = [9, n0, _CG,
    0, () => CreateGroupRequest$, () => CreateGroupResponse$
];
var CreateGroupMembership$ = [9, n0, _CGM,
    0, () => CreateGroupMembershipRequest$, () => CreateGroupMembershipResponse$
];
var CreateUser$ = [9, n0, _CU,
    0, () => CreateUserRequest$, () => CreateUserResponse$
];
var DeleteGroup$ = [9, n0, _DG,
    2, () => DeleteGroupRequest$, () => DeleteGroupResponse$
];
var DeleteGroupMembership$ = [9, n0, _DGM,
    2, () => DeleteGroupMembershipRequest$, () => DeleteGroupMembershipResponse$
];
var DeleteUser$ = [9, n0, _DU,
    2, () => DeleteUserRequest$, () => DeleteUserResponse$
];
var DescribeGroup$ = [9, n0, _DGe,
    0, () => DescribeGroupRequest$, () => DescribeGroupResponse$
];
var DescribeGroupMembership$ = [9, n0, _DGMe,
    0, () => DescribeGroupMembershipRequest$, () => DescribeGroupMembershipResponse$
];
var DescribeUser$ = [9, n0, _DUe,
    0, () => DescribeUserRequest$, () => DescribeUserResponse$
];
var GetGroupId$ = [9, n0, _GGI,
    0, () => GetGroupIdRequest$, () => GetGroupIdResponse$
];
var GetGroupMembershipId$ = [9, n0, _GGMI,
    0, () => GetGroupMembershipIdRequest$, () => GetGroupMembershipIdResponse$
];
var GetUserId$ = [9, n0, _GUI,
    0, () => GetUserIdRequest$, () => GetUserIdResponse$
];
var IsMemberInGroups$ = [9, n0, _IMIG,
    0, () => IsMemberInGroupsRequest$, () => IsMemberInGroupsResponse$
];
var ListGroupMemberships$ = [9, n0, _LGM,
    0, () => ListGroupMembershipsRequest$, () => ListGroupMembershipsResponse$
];
var ListGroupMembershipsForMember$ = [9, n0, _LGMFM,
    0, () => ListGroupMembershipsForMemberRequest$, () => ListGroupMembershipsForMemberResponse$
];
var ListGroups$ = [9, n0, _LG,
    0, () => ListGroupsRequest$, () => ListGroupsResponse$
];
var ListUsers$ = [9, n0, _LU,
    0, () => ListUsersRequest$, () => ListUsersResponse$
];
var UpdateGroup$ = [9, n0, _UG,
    0, () => UpdateGroupRequest$, () => UpdateGroupResponse$
];
var UpdateUser$ = [9, n0, _UU,
    0, () => UpdateUserRequest$, () => UpdateUserResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2020-06-15",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultIdentitystoreHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsJson1_1Protocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.identitystore",
            errorTypeRegistries,
            version: "2020-06-15",
            serviceTarget: "AWSIdentityStore",
        },
        serviceId: config?.serviceId ?? "identitystore",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class IdentitystoreClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultIdentitystoreHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AWSIdentityStore", "IdentitystoreClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class CreateGroupCommand extends command(_ep0, _mw0, "CreateGroup", CreateGroup$) {
}

class CreateGroupMembershipCommand extends command(_ep0, _mw0, "CreateGroupMembership", CreateGroupMembership$) {
}

class CreateUserCommand extends command(_ep0, _mw0, "CreateUser", CreateUser$) {
}

class DeleteGroupCommand extends command(_ep0, _mw0, "DeleteGroup", DeleteGroup$) {
}

class DeleteGroupMembershipCommand extends command(_ep0, _mw0, "DeleteGroupMembership", DeleteGroupMembership$) {
}

class DeleteUserCommand extends command(_ep0, _mw0, "DeleteUser", DeleteUser$) {
}

class DescribeGroupCommand extends command(_ep0, _mw0, "DescribeGroup", DescribeGroup$) {
}

class DescribeGroupMembershipCommand extends command(_ep0, _mw0, "DescribeGroupMembership", DescribeGroupMembership$) {
}

class DescribeUserCommand extends command(_ep0, _mw0, "DescribeUser", DescribeUser$) {
}

class GetGroupIdCommand extends command(_ep0, _mw0, "GetGroupId", GetGroupId$) {
}

class GetGroupMembershipIdCommand extends command(_ep0, _mw0, "GetGroupMembershipId", GetGroupMembershipId$) {
}

class GetUserIdCommand extends command(_ep0, _mw0, "GetUserId", GetUserId$) {
}

class IsMemberInGroupsCommand extends command(_ep0, _mw0, "IsMemberInGroups", IsMemberInGroups$) {
}

class ListGroupMembershipsCommand extends command(_ep0, _mw0, "ListGroupMemberships", ListGroupMemberships$) {
}

class ListGroupMembershipsForMemberCommand extends command(_ep0, _mw0, "ListGroupMembershipsForMember", ListGroupMembershipsForMember$) {
}

class ListGroupsCommand extends command(_ep0, _mw0, "ListGroups", ListGroups$) {
}

class ListUsersCommand extends command(_ep0, _mw0, "ListUsers", ListUsers$) {
}

class UpdateGroupCommand extends command(_ep0, _mw0, "UpdateGroup", UpdateGroup$) {
}

class UpdateUserCommand extends command(_ep0, _mw0, "UpdateUser", UpdateUser$) {
}

const paginateListGroupMembershipsForMember = createPaginator(IdentitystoreClient, ListGroupMembershipsForMemberCommand, "NextToken", "NextToken", "MaxResults");

const paginateListGroupMemberships = createPaginator(IdentitystoreClient, ListGroupMembershipsCommand, "NextToken", "NextToken", "MaxResults");

const paginateListGroups = createPaginator(IdentitystoreClient, ListGroupsCommand, "NextToken", "NextToken", "MaxResults");

const paginateListUsers = createPaginator(IdentitystoreClient, ListUsersCommand, "NextToken", "NextToken", "MaxResults");

const commands = {
    CreateGroupCommand,
    CreateGroupMembershipCommand,
    CreateUserCommand,
    DeleteGroupCommand,
    DeleteGroupMembershipCommand,
    DeleteUserCommand,
    DescribeGroupCommand,
    DescribeGroupMembershipCommand,
    DescribeUserCommand,
    GetGroupIdCommand,
    GetGroupMembershipIdCommand,
    GetUserIdCommand,
    IsMemberInGroupsCommand,
    ListGroupMembershipsCommand,
    ListGroupMembershipsForMemberCommand,
    ListGroupsCommand,
    ListUsersCommand,
    UpdateGroupCommand,
    UpdateUserCommand,
};
const paginators = {
    paginateListGroupMemberships,
    paginateListGroupMembershipsForMember,
    paginateListGroups,
    paginateListUsers,
};
class Identitystore extends IdentitystoreClient {
}
createAggregatedClient(commands, Identitystore, { paginators });

const AccessDeniedExceptionReason = {
    KMS_ACCESS_DENIED: "KMS_ACCESS_DENIED",
};
const ResourceNotFoundExceptionReason = {
    KMS_KEY_NOT_FOUND: "KMS_KEY_NOT_FOUND",
};
const ResourceType = {
    GROUP: "GROUP",
    GROUP_MEMBERSHIP: "GROUP_MEMBERSHIP",
    IDENTITY_STORE: "IDENTITY_STORE",
    RESOURCE_POLICY: "RESOURCE_POLICY",
    USER: "USER",
};
const ThrottlingExceptionReason = {
    KMS_THROTTLING: "KMS_THROTTLING",
};
const ValidationExceptionReason = {
    KMS_DISABLED: "KMS_DISABLED",
    KMS_INVALID_ARN: "KMS_INVALID_ARN",
    KMS_INVALID_KEY_USAGE: "KMS_INVALID_KEY_USAGE",
    KMS_INVALID_STATE: "KMS_INVALID_STATE",
};
const ConflictExceptionReason = {
    CONCURRENT_MODIFICATION: "CONCURRENT_MODIFICATION",
    UNIQUENESS_CONSTRAINT_VIOLATION: "UNIQUENESS_CONSTRAINT_VIOLATION",
};
const UserStatus = {
    DISABLED: "DISABLED",
    ENABLED: "ENABLED",
};

exports.AccessDeniedException = AccessDeniedException;
exports.AccessDeniedException$ = AccessDeniedException$;
exports.AccessDeniedExceptionReason = AccessDeniedExceptionReason;
exports.Address$ = Address$;
exports.AlternateIdentifier$ = AlternateIdentifier$;
exports.AttributeOperation$ = AttributeOperation$;
exports.ConflictException = ConflictException;
exports.ConflictException$ = ConflictException$;
exports.ConflictExceptionReason = ConflictExceptionReason;
exports.CreateGroup$ = CreateGroup$;
exports.CreateGroupCommand = CreateGroupCommand;
exports.CreateGroupMembership$ = CreateGroupMembership$;
exports.CreateGroupMembershipCommand = CreateGroupMembershipCommand;
exports.CreateGroupMembershipRequest$ = CreateGroupMembershipRequest$;
exports.CreateGroupMembershipResponse$ = CreateGroupMembershipResponse$;
exports.CreateGroupRequest$ = CreateGroupRequest$;
exports.CreateGroupResponse$ = CreateGroupResponse$;
exports.CreateUser$ = CreateUser$;
exports.CreateUserCommand = CreateUserCommand;
exports.CreateUserRequest$ = CreateUserRequest$;
exports.CreateUserResponse$ = CreateUserResponse$;
exports.DeleteGroup$ = DeleteGroup$;
exports.DeleteGroupCommand = DeleteGroupCommand;
exports.DeleteGroupMembership$ = DeleteGroupMembership$;
exports.DeleteGroupMembershipCommand = DeleteGroupMembershipCommand;
exports.DeleteGroupMembershipRequest$ = DeleteGroupMembershipRequest$;
exports.DeleteGroupMembershipResponse$ = DeleteGroupMembershipResponse$;
exports.DeleteGroupRequest$ = DeleteGroupRequest$;
exports.DeleteGroupResponse$ = DeleteGroupResponse$;
exports.DeleteUser$ = DeleteUser$;
exports.DeleteUserCommand = DeleteUserCommand;
exports.DeleteUserRequest$ = DeleteUserRequest$;
exports.DeleteUserResponse$ = DeleteUserResponse$;
exports.DescribeGroup$ = DescribeGroup$;
exports.DescribeGroupCommand = DescribeGroupCommand;
exports.DescribeGroupMembership$ = DescribeGroupMembership$;
exports.DescribeGroupMembershipCommand = DescribeGroupMembershipCommand;
exports.DescribeGroupMembershipRequest$ = DescribeGroupMembershipRequest$;
exports.DescribeGroupMembershipResponse$ = DescribeGroupMembershipResponse$;
exports.DescribeGroupRequest$ = DescribeGroupRequest$;
exports.DescribeGroupResponse$ = DescribeGroupResponse$;
exports.DescribeUser$ = DescribeUser$;
exports.DescribeUserCommand = DescribeUserCommand;
exports.DescribeUserRequest$ = DescribeUserRequest$;
exports.DescribeUserResponse$ = DescribeUserResponse$;
exports.Email$ = Email$;
exports.ExternalId$ = ExternalId$;
exports.Filter$ = Filter$;
exports.GetGroupId$ = GetGroupId$;
exports.GetGroupIdCommand = GetGroupIdCommand;
exports.GetGroupIdRequest$ = GetGroupIdRequest$;
exports.GetGroupIdResponse$ = GetGroupIdResponse$;
exports.GetGroupMembershipId$ = GetGroupMembershipId$;
exports.GetGroupMembershipIdCommand = GetGroupMembershipIdCommand;
exports.GetGroupMembershipIdRequest$ = GetGroupMembershipIdRequest$;
exports.GetGroupMembershipIdResponse$ = GetGroupMembershipIdResponse$;
exports.GetUserId$ = GetUserId$;
exports.GetUserIdCommand = GetUserIdCommand;
exports.GetUserIdRequest$ = GetUserIdRequest$;
exports.GetUserIdResponse$ = GetUserIdResponse$;
exports.Group$ = Group$;
exports.GroupMembership$ = GroupMembership$;
exports.GroupMembershipExistenceResult$ = GroupMembershipExistenceResult$;
exports.Identitystore = Identitystore;
exports.IdentitystoreClient = IdentitystoreClient;
exports.IdentitystoreServiceException = IdentitystoreServiceException;
exports.IdentitystoreServiceException$ = IdentitystoreServiceException$;
exports.InternalServerException = InternalServerException;
exports.InternalServerException$ = InternalServerException$;
exports.IsMemberInGroups$ = IsMemberInGroups$;
exports.IsMemberInGroupsCommand = IsMemberInGroupsCommand;
exports.IsMemberInGroupsRequest$ = IsMemberInGroupsRequest$;
exports.IsMemberInGroupsResponse$ = IsMemberInGroupsResponse$;
exports.ListGroupMemberships$ = ListGroupMemberships$;
exports.ListGroupMembershipsCommand = ListGroupMembershipsCommand;
exports.ListGroupMembershipsForMember$ = ListGroupMembershipsForMember$;
exports.ListGroupMembershipsForMemberCommand = ListGroupMembershipsForMemberCommand;
exports.ListGroupMembershipsForMemberRequest$ = ListGroupMembershipsForMemberRequest$;
exports.ListGroupMembershipsForMemberResponse$ = ListGroupMembershipsForMemberResponse$;
exports.ListGroupMembershipsRequest$ = ListGroupMembershipsRequest$;
exports.ListGroupMembershipsResponse$ = ListGroupMembershipsResponse$;
exports.ListGroups$ = ListGroups$;
exports.ListGroupsCommand = ListGroupsCommand;
exports.ListGroupsRequest$ = ListGroupsRequest$;
exports.ListGroupsResponse$ = ListGroupsResponse$;
exports.ListUsers$ = ListUsers$;
exports.ListUsersCommand = ListUsersCommand;
exports.ListUsersRequest$ = ListUsersRequest$;
exports.ListUsersResponse$ = ListUsersResponse$;
exports.MemberId$ = MemberId$;
exports.Name$ = Name$;
exports.PhoneNumber$ = PhoneNumber$;
exports.Photo$ = Photo$;
exports.ResourceNotFoundException = ResourceNotFoundException;
exports.ResourceNotFoundException$ = ResourceNotFoundException$;
exports.ResourceNotFoundExceptionReason = ResourceNotFoundExceptionReason;
exports.ResourceType = ResourceType;
exports.Role$ = Role$;
exports.ServiceQuotaExceededException = ServiceQuotaExceededException;
exports.ServiceQuotaExceededException$ = ServiceQuotaExceededException$;
exports.ThrottlingException = ThrottlingException;
exports.ThrottlingException$ = ThrottlingException$;
exports.ThrottlingExceptionReason = ThrottlingExceptionReason;
exports.UniqueAttribute$ = UniqueAttribute$;
exports.UpdateGroup$ = UpdateGroup$;
exports.UpdateGroupCommand = UpdateGroupCommand;
exports.UpdateGroupRequest$ = UpdateGroupRequest$;
exports.UpdateGroupResponse$ = UpdateGroupResponse$;
exports.UpdateUser$ = UpdateUser$;
exports.UpdateUserCommand = UpdateUserCommand;
exports.UpdateUserRequest$ = UpdateUserRequest$;
exports.UpdateUserResponse$ = UpdateUserResponse$;
exports.User$ = User$;
exports.UserStatus = UserStatus;
exports.ValidationException = ValidationException;
exports.ValidationException$ = ValidationException$;
exports.ValidationExceptionReason = ValidationExceptionReason;
exports.errorTypeRegistries = errorTypeRegistries;
exports.paginateListGroupMemberships = paginateListGroupMemberships;
exports.paginateListGroupMembershipsForMember = paginateListGroupMembershipsForMember;
exports.paginateListGroups = paginateListGroups;
exports.paginateListUsers = paginateListUsers;


/***/ })

};
