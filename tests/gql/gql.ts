/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query RetentionTotal {\n    analytics(range: { preset: ALL_TIME }) {\n      totals {\n        views {\n          value\n        }\n      }\n    }\n  }\n": typeof types.RetentionTotalDocument,
    "\n  query TimezonesSeries($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $tz: TimeZone) {\n    analytics(range: $range, timezone: $tz) {\n      timezone\n      exactTimezone\n      totals {\n        views {\n          value\n        }\n      }\n      series(interval: $interval) {\n        label\n        start\n        end\n        values {\n          value\n        }\n      }\n    }\n  }\n": typeof types.TimezonesSeriesDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        prefix\n        name\n        scopes\n        status\n      }\n      secret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        prefix\n        rotatedAt\n        previousSecretExpiresAt\n      }\n      secret\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.RotateApiKeyDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.EnableApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query ApiKeysMe {\n    me {\n      email\n    }\n  }\n": typeof types.ApiKeysMeDocument,
    "\n  query ListApiKeys {\n    apiKeys {\n      id\n    }\n  }\n": typeof types.ListApiKeysDocument,
    "\n        query ListApiKeysWithLimits {\n          apiKeys {\n            id\n            prefix\n            name\n            scopes\n            status\n            lastUsedAt\n            createdAt\n            rotatedAt\n            limits {\n              plan\n              requestsPerMinute\n              requestsPerDay\n              maxQueryCost\n              maxApiKeys\n            }\n          }\n        }\n      ": typeof types.ListApiKeysWithLimitsDocument,
    "\n      query ApiKeysVideoCount {\n        videos(first: 1) {\n          totalCount\n        }\n      }\n    ": typeof types.ApiKeysVideoCountDocument,
    "\n        query ListApiKeysWithRevoked {\n          apiKeys {\n            id\n          }\n          all: apiKeys(includeRevoked: true) {\n            id\n            status\n          }\n        }\n      ": typeof types.ListApiKeysWithRevokedDocument,
    "\n        query ApiKeysNode($id: ID!) {\n          node(id: $id) {\n            id\n          }\n        }\n      ": typeof types.ApiKeysNodeDocument,
    "\n  query AuthzNode($id: ID!) {\n    node(id: $id) {\n      id\n    }\n  }\n": typeof types.AuthzNodeDocument,
    "\n        query AuthzNodes($ids: [ID!]!) {\n          nodes(ids: $ids) {\n            id\n          }\n        }\n      ": typeof types.AuthzNodesDocument,
    "\n        query AuthzVideoAndUser($v: ID!, $u: ID!) {\n          video(id: $v) {\n            title\n          }\n          user(id: $u) {\n            email\n          }\n        }\n      ": typeof types.AuthzVideoAndUserDocument,
    "\n        query AuthzLists {\n          videos(first: 100) {\n            totalCount\n            edges {\n              node {\n                title\n                publications {\n                  stats {\n                    views\n                  }\n                }\n              }\n            }\n          }\n          me {\n            channels {\n              id\n            }\n            videos(first: 10) {\n              totalCount\n            }\n          }\n        }\n      ": typeof types.AuthzListsDocument,
    "\n      query AuthzNodeAndVideo($id: ID!) {\n        node(id: $id) {\n          id\n        }\n        video(id: $id) {\n          id\n        }\n      }\n    ": typeof types.AuthzNodeAndVideoDocument,
    "\n        mutation AuthzUpdateVideo($id: ID!) {\n          updateVideo(input: { id: $id, title: \"pwned\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": typeof types.AuthzUpdateVideoDocument,
    "\n        mutation AuthzPublishVideo($id: ID!) {\n          publishVideo(input: { id: $id, platforms: [TIKTOK] }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": typeof types.AuthzPublishVideoDocument,
    "\n        mutation AuthzDeleteVideo($id: ID!) {\n          deleteVideo(input: { id: $id }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": typeof types.AuthzDeleteVideoDocument,
    "\n      query AuthzMeAndVideos {\n        me {\n          email\n        }\n        videos(first: 5) {\n          edges {\n            node {\n              title\n              owner {\n                email\n              }\n            }\n          }\n        }\n      }\n    ": typeof types.AuthzMeAndVideosDocument,
    "\n        query AuthzMe {\n          me {\n            email\n          }\n        }\n      ": typeof types.AuthzMeDocument,
    "\n        query AuthzVideoCount {\n          videos(first: 1) {\n            totalCount\n          }\n        }\n      ": typeof types.AuthzVideoCountDocument,
    "\n        query AuthzChannels {\n          me {\n            channels {\n              id\n            }\n          }\n        }\n      ": typeof types.AuthzChannelsDocument,
    "\n      query CredentialScopesKeys {\n        apiKeys {\n          id\n        }\n      }\n    ": typeof types.CredentialScopesKeysDocument,
    "\n      mutation CredentialScopesRegisterApp {\n        registerApp(\n          input: {\n            name: \"A\"\n            category: OTHER\n            redirectUris: [\"https://a.example/cb\"]\n            scopes: [READ_USER]\n          }\n        ) {\n          app {\n            id\n            clientId\n          }\n        }\n      }\n    ": typeof types.CredentialScopesRegisterAppDocument,
    "\n        query CredentialScopesKeyNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on ApiKey {\n              name\n            }\n          }\n        }\n      ": typeof types.CredentialScopesKeyNodeDocument,
    "\n        mutation CredentialScopesCreateKey {\n          createApiKey(input: { name: \"w\" }) {\n            secret\n            apiKey {\n              name\n            }\n          }\n        }\n      ": typeof types.CredentialScopesCreateKeyDocument,
    "\n        query CredentialScopesAppNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on App {\n              name\n            }\n          }\n        }\n      ": typeof types.CredentialScopesAppNodeDocument,
    "\n      mutation LiveShutdownRecordViews($events: [MetricEventInput!]!) {\n        recordMetrics(input: { events: $events }) {\n          accepted\n        }\n      }\n    ": typeof types.LiveShutdownRecordViewsDocument,
    "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      app {\n        id\n        clientId\n        name\n        status\n        isMine\n        redirectUris\n        scopes\n        category\n        homepageUrl\n        installCount\n      }\n      clientSecret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.RegisterAppDocument,
    "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      app {\n        id\n        name\n        description\n        redirectUris\n        scopes\n        homepageUrl\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.UpdateAppDocument,
    "\n  mutation DeleteApp($id: ID!) {\n    deleteApp(input: { id: $id }) {\n      deletedAppId\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.DeleteAppDocument,
    "\n  query AppDirectory($first: Int, $after: String, $category: AppCategory, $search: String) {\n    appDirectory(first: $first, after: $after, category: $category, search: $search) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          installCount\n          isMine\n          redirectUris\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AppDirectoryDocument,
    "\n  mutation UninstallApp($id: ID!) {\n    uninstallApp(input: { appId: $id }) {\n      app {\n        id\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": typeof types.UninstallAppDocument,
    "\n        query MyAppIds {\n          myApps {\n            id\n            clientId\n          }\n        }\n      ": typeof types.MyAppIdsDocument,
    "\n        query MyAppNames {\n          myApps {\n            id\n            name\n          }\n        }\n      ": typeof types.MyAppNamesDocument,
    "\n      query AppNode($id: ID!) {\n        node(id: $id) {\n          ... on App {\n            name\n            redirectUris\n            isMine\n          }\n        }\n      }\n    ": typeof types.AppNodeDocument,
    "\n  query VideosBatchingList($first: Int!) {\n    videos(first: $first) {\n      edges {\n        node {\n          id\n          title\n          owner {\n            id\n            email\n          }\n          stats {\n            views\n            engagementRate\n          }\n          publications {\n            platform\n            channel {\n              handle\n            }\n            stats {\n              views\n              likes\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.VideosBatchingListDocument,
    "\n      query VideosBatchingNested {\n        videos(first: 100) {\n          edges {\n            node {\n              owner {\n                email\n              }\n              stats {\n                views\n              }\n              publications {\n                stats {\n                  views\n                }\n              }\n            }\n          }\n        }\n      }\n    ": typeof types.VideosBatchingNestedDocument,
    "\n  mutation CreateVideo($input: CreateVideoInput!) {\n    createVideo(input: $input) {\n      video {\n        id\n        title\n        description\n        url\n        tags\n        status\n        durationSeconds\n        publishedAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateVideoDocument,
    "\n  mutation UpdateVideo($input: UpdateVideoInput!) {\n    updateVideo(input: $input) {\n      video {\n        id\n        title\n        url\n        tags\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.UpdateVideoDocument,
    "\n  mutation PublishVideo($input: PublishVideoInput!) {\n    publishVideo(input: $input) {\n      video {\n        id\n        status\n        publishedAt\n        publications {\n          platform\n          channel {\n            platform\n          }\n        }\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.PublishVideoDocument,
    "\n  mutation DeleteVideo($input: DeleteVideoInput!) {\n    deleteVideo(input: $input) {\n      deletedVideoId\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": typeof types.DeleteVideoDocument,
    "\n        mutation UpdateProfile {\n          updateProfile(input: { name: \"Ada\", timezone: \"Europe/Paris\", email: \"ADA@pulse.test\" }) {\n            user {\n              name\n              timezone\n              email\n            }\n            userErrors {\n              code\n            }\n          }\n        }\n      ": typeof types.UpdateProfileDocument,
    "\n        mutation UpdateProfileToTakenEmail {\n          updateProfile(input: { email: \"Taken@pulse.test\" }) {\n            user {\n              email\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      ": typeof types.UpdateProfileToTakenEmailDocument,
    "\n        mutation UpdateProfileToUnknownZone {\n          updateProfile(input: { timezone: \"Mars/Olympus\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": typeof types.UpdateProfileToUnknownZoneDocument,
    "\n        mutation UpdateProfileToEmptyName {\n          updateProfile(input: { name: \"  \" }) {\n            user {\n              name\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      ": typeof types.UpdateProfileToEmptyNameDocument,
    "\n        mutation UpdateSettingsTheme {\n          updateSettings(input: { theme: DARK }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n                emailNotifications\n              }\n            }\n          }\n        }\n      ": typeof types.UpdateSettingsThemeDocument,
    "\n        mutation UpdateSettingsDigest {\n          updateSettings(input: { weeklyDigest: false }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n              }\n            }\n          }\n        }\n      ": typeof types.UpdateSettingsDigestDocument,
    "\n  query VideosPage(\n    $first: Int\n    $last: Int\n    $after: String\n    $before: String\n    $orderBy: VideoOrder\n    $filter: VideoFilter\n  ) {\n    videos(\n      first: $first\n      last: $last\n      after: $after\n      before: $before\n      orderBy: $orderBy\n      filter: $filter\n    ) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          title\n          tags\n          status\n          publishedAt\n          stats {\n            views\n            likes\n            comments\n            shares\n            engagementRate\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.VideosPageDocument,
    "\n      mutation VideosCreateDrafts {\n        a: createVideo(input: { title: \"Draft A\" }) {\n          video {\n            id\n          }\n        }\n        b: createVideo(input: { title: \"Draft B\" }) {\n          video {\n            id\n          }\n        }\n      }\n    ": typeof types.VideosCreateDraftsDocument,
};
const documents: Documents = {
    "\n  query RetentionTotal {\n    analytics(range: { preset: ALL_TIME }) {\n      totals {\n        views {\n          value\n        }\n      }\n    }\n  }\n": types.RetentionTotalDocument,
    "\n  query TimezonesSeries($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $tz: TimeZone) {\n    analytics(range: $range, timezone: $tz) {\n      timezone\n      exactTimezone\n      totals {\n        views {\n          value\n        }\n      }\n      series(interval: $interval) {\n        label\n        start\n        end\n        values {\n          value\n        }\n      }\n    }\n  }\n": types.TimezonesSeriesDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        prefix\n        name\n        scopes\n        status\n      }\n      secret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        prefix\n        rotatedAt\n        previousSecretExpiresAt\n      }\n      secret\n      userErrors {\n        code\n      }\n    }\n  }\n": types.RotateApiKeyDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": types.EnableApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query ApiKeysMe {\n    me {\n      email\n    }\n  }\n": types.ApiKeysMeDocument,
    "\n  query ListApiKeys {\n    apiKeys {\n      id\n    }\n  }\n": types.ListApiKeysDocument,
    "\n        query ListApiKeysWithLimits {\n          apiKeys {\n            id\n            prefix\n            name\n            scopes\n            status\n            lastUsedAt\n            createdAt\n            rotatedAt\n            limits {\n              plan\n              requestsPerMinute\n              requestsPerDay\n              maxQueryCost\n              maxApiKeys\n            }\n          }\n        }\n      ": types.ListApiKeysWithLimitsDocument,
    "\n      query ApiKeysVideoCount {\n        videos(first: 1) {\n          totalCount\n        }\n      }\n    ": types.ApiKeysVideoCountDocument,
    "\n        query ListApiKeysWithRevoked {\n          apiKeys {\n            id\n          }\n          all: apiKeys(includeRevoked: true) {\n            id\n            status\n          }\n        }\n      ": types.ListApiKeysWithRevokedDocument,
    "\n        query ApiKeysNode($id: ID!) {\n          node(id: $id) {\n            id\n          }\n        }\n      ": types.ApiKeysNodeDocument,
    "\n  query AuthzNode($id: ID!) {\n    node(id: $id) {\n      id\n    }\n  }\n": types.AuthzNodeDocument,
    "\n        query AuthzNodes($ids: [ID!]!) {\n          nodes(ids: $ids) {\n            id\n          }\n        }\n      ": types.AuthzNodesDocument,
    "\n        query AuthzVideoAndUser($v: ID!, $u: ID!) {\n          video(id: $v) {\n            title\n          }\n          user(id: $u) {\n            email\n          }\n        }\n      ": types.AuthzVideoAndUserDocument,
    "\n        query AuthzLists {\n          videos(first: 100) {\n            totalCount\n            edges {\n              node {\n                title\n                publications {\n                  stats {\n                    views\n                  }\n                }\n              }\n            }\n          }\n          me {\n            channels {\n              id\n            }\n            videos(first: 10) {\n              totalCount\n            }\n          }\n        }\n      ": types.AuthzListsDocument,
    "\n      query AuthzNodeAndVideo($id: ID!) {\n        node(id: $id) {\n          id\n        }\n        video(id: $id) {\n          id\n        }\n      }\n    ": types.AuthzNodeAndVideoDocument,
    "\n        mutation AuthzUpdateVideo($id: ID!) {\n          updateVideo(input: { id: $id, title: \"pwned\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": types.AuthzUpdateVideoDocument,
    "\n        mutation AuthzPublishVideo($id: ID!) {\n          publishVideo(input: { id: $id, platforms: [TIKTOK] }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": types.AuthzPublishVideoDocument,
    "\n        mutation AuthzDeleteVideo($id: ID!) {\n          deleteVideo(input: { id: $id }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": types.AuthzDeleteVideoDocument,
    "\n      query AuthzMeAndVideos {\n        me {\n          email\n        }\n        videos(first: 5) {\n          edges {\n            node {\n              title\n              owner {\n                email\n              }\n            }\n          }\n        }\n      }\n    ": types.AuthzMeAndVideosDocument,
    "\n        query AuthzMe {\n          me {\n            email\n          }\n        }\n      ": types.AuthzMeDocument,
    "\n        query AuthzVideoCount {\n          videos(first: 1) {\n            totalCount\n          }\n        }\n      ": types.AuthzVideoCountDocument,
    "\n        query AuthzChannels {\n          me {\n            channels {\n              id\n            }\n          }\n        }\n      ": types.AuthzChannelsDocument,
    "\n      query CredentialScopesKeys {\n        apiKeys {\n          id\n        }\n      }\n    ": types.CredentialScopesKeysDocument,
    "\n      mutation CredentialScopesRegisterApp {\n        registerApp(\n          input: {\n            name: \"A\"\n            category: OTHER\n            redirectUris: [\"https://a.example/cb\"]\n            scopes: [READ_USER]\n          }\n        ) {\n          app {\n            id\n            clientId\n          }\n        }\n      }\n    ": types.CredentialScopesRegisterAppDocument,
    "\n        query CredentialScopesKeyNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on ApiKey {\n              name\n            }\n          }\n        }\n      ": types.CredentialScopesKeyNodeDocument,
    "\n        mutation CredentialScopesCreateKey {\n          createApiKey(input: { name: \"w\" }) {\n            secret\n            apiKey {\n              name\n            }\n          }\n        }\n      ": types.CredentialScopesCreateKeyDocument,
    "\n        query CredentialScopesAppNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on App {\n              name\n            }\n          }\n        }\n      ": types.CredentialScopesAppNodeDocument,
    "\n      mutation LiveShutdownRecordViews($events: [MetricEventInput!]!) {\n        recordMetrics(input: { events: $events }) {\n          accepted\n        }\n      }\n    ": types.LiveShutdownRecordViewsDocument,
    "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      app {\n        id\n        clientId\n        name\n        status\n        isMine\n        redirectUris\n        scopes\n        category\n        homepageUrl\n        installCount\n      }\n      clientSecret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.RegisterAppDocument,
    "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      app {\n        id\n        name\n        description\n        redirectUris\n        scopes\n        homepageUrl\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.UpdateAppDocument,
    "\n  mutation DeleteApp($id: ID!) {\n    deleteApp(input: { id: $id }) {\n      deletedAppId\n      userErrors {\n        code\n      }\n    }\n  }\n": types.DeleteAppDocument,
    "\n  query AppDirectory($first: Int, $after: String, $category: AppCategory, $search: String) {\n    appDirectory(first: $first, after: $after, category: $category, search: $search) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          installCount\n          isMine\n          redirectUris\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AppDirectoryDocument,
    "\n  mutation UninstallApp($id: ID!) {\n    uninstallApp(input: { appId: $id }) {\n      app {\n        id\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n": types.UninstallAppDocument,
    "\n        query MyAppIds {\n          myApps {\n            id\n            clientId\n          }\n        }\n      ": types.MyAppIdsDocument,
    "\n        query MyAppNames {\n          myApps {\n            id\n            name\n          }\n        }\n      ": types.MyAppNamesDocument,
    "\n      query AppNode($id: ID!) {\n        node(id: $id) {\n          ... on App {\n            name\n            redirectUris\n            isMine\n          }\n        }\n      }\n    ": types.AppNodeDocument,
    "\n  query VideosBatchingList($first: Int!) {\n    videos(first: $first) {\n      edges {\n        node {\n          id\n          title\n          owner {\n            id\n            email\n          }\n          stats {\n            views\n            engagementRate\n          }\n          publications {\n            platform\n            channel {\n              handle\n            }\n            stats {\n              views\n              likes\n            }\n          }\n        }\n      }\n    }\n  }\n": types.VideosBatchingListDocument,
    "\n      query VideosBatchingNested {\n        videos(first: 100) {\n          edges {\n            node {\n              owner {\n                email\n              }\n              stats {\n                views\n              }\n              publications {\n                stats {\n                  views\n                }\n              }\n            }\n          }\n        }\n      }\n    ": types.VideosBatchingNestedDocument,
    "\n  mutation CreateVideo($input: CreateVideoInput!) {\n    createVideo(input: $input) {\n      video {\n        id\n        title\n        description\n        url\n        tags\n        status\n        durationSeconds\n        publishedAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CreateVideoDocument,
    "\n  mutation UpdateVideo($input: UpdateVideoInput!) {\n    updateVideo(input: $input) {\n      video {\n        id\n        title\n        url\n        tags\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.UpdateVideoDocument,
    "\n  mutation PublishVideo($input: PublishVideoInput!) {\n    publishVideo(input: $input) {\n      video {\n        id\n        status\n        publishedAt\n        publications {\n          platform\n          channel {\n            platform\n          }\n        }\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.PublishVideoDocument,
    "\n  mutation DeleteVideo($input: DeleteVideoInput!) {\n    deleteVideo(input: $input) {\n      deletedVideoId\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n": types.DeleteVideoDocument,
    "\n        mutation UpdateProfile {\n          updateProfile(input: { name: \"Ada\", timezone: \"Europe/Paris\", email: \"ADA@pulse.test\" }) {\n            user {\n              name\n              timezone\n              email\n            }\n            userErrors {\n              code\n            }\n          }\n        }\n      ": types.UpdateProfileDocument,
    "\n        mutation UpdateProfileToTakenEmail {\n          updateProfile(input: { email: \"Taken@pulse.test\" }) {\n            user {\n              email\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      ": types.UpdateProfileToTakenEmailDocument,
    "\n        mutation UpdateProfileToUnknownZone {\n          updateProfile(input: { timezone: \"Mars/Olympus\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      ": types.UpdateProfileToUnknownZoneDocument,
    "\n        mutation UpdateProfileToEmptyName {\n          updateProfile(input: { name: \"  \" }) {\n            user {\n              name\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      ": types.UpdateProfileToEmptyNameDocument,
    "\n        mutation UpdateSettingsTheme {\n          updateSettings(input: { theme: DARK }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n                emailNotifications\n              }\n            }\n          }\n        }\n      ": types.UpdateSettingsThemeDocument,
    "\n        mutation UpdateSettingsDigest {\n          updateSettings(input: { weeklyDigest: false }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n              }\n            }\n          }\n        }\n      ": types.UpdateSettingsDigestDocument,
    "\n  query VideosPage(\n    $first: Int\n    $last: Int\n    $after: String\n    $before: String\n    $orderBy: VideoOrder\n    $filter: VideoFilter\n  ) {\n    videos(\n      first: $first\n      last: $last\n      after: $after\n      before: $before\n      orderBy: $orderBy\n      filter: $filter\n    ) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          title\n          tags\n          status\n          publishedAt\n          stats {\n            views\n            likes\n            comments\n            shares\n            engagementRate\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.VideosPageDocument,
    "\n      mutation VideosCreateDrafts {\n        a: createVideo(input: { title: \"Draft A\" }) {\n          video {\n            id\n          }\n        }\n        b: createVideo(input: { title: \"Draft B\" }) {\n          video {\n            id\n          }\n        }\n      }\n    ": types.VideosCreateDraftsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionTotal {\n    analytics(range: { preset: ALL_TIME }) {\n      totals {\n        views {\n          value\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RetentionTotal {\n    analytics(range: { preset: ALL_TIME }) {\n      totals {\n        views {\n          value\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TimezonesSeries($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $tz: TimeZone) {\n    analytics(range: $range, timezone: $tz) {\n      timezone\n      exactTimezone\n      totals {\n        views {\n          value\n        }\n      }\n      series(interval: $interval) {\n        label\n        start\n        end\n        values {\n          value\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TimezonesSeries($range: AnalyticsRangeInput, $interval: AnalyticsInterval!, $tz: TimeZone) {\n    analytics(range: $range, timezone: $tz) {\n      timezone\n      exactTimezone\n      totals {\n        views {\n          value\n        }\n      }\n      series(interval: $interval) {\n        label\n        start\n        end\n        values {\n          value\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        prefix\n        name\n        scopes\n        status\n      }\n      secret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        prefix\n        name\n        scopes\n        status\n      }\n      secret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        prefix\n        rotatedAt\n        previousSecretExpiresAt\n      }\n      secret\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        prefix\n        rotatedAt\n        previousSecretExpiresAt\n      }\n      secret\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        status\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeysMe {\n    me {\n      email\n    }\n  }\n"): (typeof documents)["\n  query ApiKeysMe {\n    me {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListApiKeys {\n    apiKeys {\n      id\n    }\n  }\n"): (typeof documents)["\n  query ListApiKeys {\n    apiKeys {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query ListApiKeysWithLimits {\n          apiKeys {\n            id\n            prefix\n            name\n            scopes\n            status\n            lastUsedAt\n            createdAt\n            rotatedAt\n            limits {\n              plan\n              requestsPerMinute\n              requestsPerDay\n              maxQueryCost\n              maxApiKeys\n            }\n          }\n        }\n      "): (typeof documents)["\n        query ListApiKeysWithLimits {\n          apiKeys {\n            id\n            prefix\n            name\n            scopes\n            status\n            lastUsedAt\n            createdAt\n            rotatedAt\n            limits {\n              plan\n              requestsPerMinute\n              requestsPerDay\n              maxQueryCost\n              maxApiKeys\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query ApiKeysVideoCount {\n        videos(first: 1) {\n          totalCount\n        }\n      }\n    "): (typeof documents)["\n      query ApiKeysVideoCount {\n        videos(first: 1) {\n          totalCount\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query ListApiKeysWithRevoked {\n          apiKeys {\n            id\n          }\n          all: apiKeys(includeRevoked: true) {\n            id\n            status\n          }\n        }\n      "): (typeof documents)["\n        query ListApiKeysWithRevoked {\n          apiKeys {\n            id\n          }\n          all: apiKeys(includeRevoked: true) {\n            id\n            status\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query ApiKeysNode($id: ID!) {\n          node(id: $id) {\n            id\n          }\n        }\n      "): (typeof documents)["\n        query ApiKeysNode($id: ID!) {\n          node(id: $id) {\n            id\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthzNode($id: ID!) {\n    node(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  query AuthzNode($id: ID!) {\n    node(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzNodes($ids: [ID!]!) {\n          nodes(ids: $ids) {\n            id\n          }\n        }\n      "): (typeof documents)["\n        query AuthzNodes($ids: [ID!]!) {\n          nodes(ids: $ids) {\n            id\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzVideoAndUser($v: ID!, $u: ID!) {\n          video(id: $v) {\n            title\n          }\n          user(id: $u) {\n            email\n          }\n        }\n      "): (typeof documents)["\n        query AuthzVideoAndUser($v: ID!, $u: ID!) {\n          video(id: $v) {\n            title\n          }\n          user(id: $u) {\n            email\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzLists {\n          videos(first: 100) {\n            totalCount\n            edges {\n              node {\n                title\n                publications {\n                  stats {\n                    views\n                  }\n                }\n              }\n            }\n          }\n          me {\n            channels {\n              id\n            }\n            videos(first: 10) {\n              totalCount\n            }\n          }\n        }\n      "): (typeof documents)["\n        query AuthzLists {\n          videos(first: 100) {\n            totalCount\n            edges {\n              node {\n                title\n                publications {\n                  stats {\n                    views\n                  }\n                }\n              }\n            }\n          }\n          me {\n            channels {\n              id\n            }\n            videos(first: 10) {\n              totalCount\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AuthzNodeAndVideo($id: ID!) {\n        node(id: $id) {\n          id\n        }\n        video(id: $id) {\n          id\n        }\n      }\n    "): (typeof documents)["\n      query AuthzNodeAndVideo($id: ID!) {\n        node(id: $id) {\n          id\n        }\n        video(id: $id) {\n          id\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation AuthzUpdateVideo($id: ID!) {\n          updateVideo(input: { id: $id, title: \"pwned\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation AuthzUpdateVideo($id: ID!) {\n          updateVideo(input: { id: $id, title: \"pwned\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation AuthzPublishVideo($id: ID!) {\n          publishVideo(input: { id: $id, platforms: [TIKTOK] }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation AuthzPublishVideo($id: ID!) {\n          publishVideo(input: { id: $id, platforms: [TIKTOK] }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation AuthzDeleteVideo($id: ID!) {\n          deleteVideo(input: { id: $id }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation AuthzDeleteVideo($id: ID!) {\n          deleteVideo(input: { id: $id }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AuthzMeAndVideos {\n        me {\n          email\n        }\n        videos(first: 5) {\n          edges {\n            node {\n              title\n              owner {\n                email\n              }\n            }\n          }\n        }\n      }\n    "): (typeof documents)["\n      query AuthzMeAndVideos {\n        me {\n          email\n        }\n        videos(first: 5) {\n          edges {\n            node {\n              title\n              owner {\n                email\n              }\n            }\n          }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzMe {\n          me {\n            email\n          }\n        }\n      "): (typeof documents)["\n        query AuthzMe {\n          me {\n            email\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzVideoCount {\n          videos(first: 1) {\n            totalCount\n          }\n        }\n      "): (typeof documents)["\n        query AuthzVideoCount {\n          videos(first: 1) {\n            totalCount\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AuthzChannels {\n          me {\n            channels {\n              id\n            }\n          }\n        }\n      "): (typeof documents)["\n        query AuthzChannels {\n          me {\n            channels {\n              id\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query CredentialScopesKeys {\n        apiKeys {\n          id\n        }\n      }\n    "): (typeof documents)["\n      query CredentialScopesKeys {\n        apiKeys {\n          id\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation CredentialScopesRegisterApp {\n        registerApp(\n          input: {\n            name: \"A\"\n            category: OTHER\n            redirectUris: [\"https://a.example/cb\"]\n            scopes: [READ_USER]\n          }\n        ) {\n          app {\n            id\n            clientId\n          }\n        }\n      }\n    "): (typeof documents)["\n      mutation CredentialScopesRegisterApp {\n        registerApp(\n          input: {\n            name: \"A\"\n            category: OTHER\n            redirectUris: [\"https://a.example/cb\"]\n            scopes: [READ_USER]\n          }\n        ) {\n          app {\n            id\n            clientId\n          }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query CredentialScopesKeyNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on ApiKey {\n              name\n            }\n          }\n        }\n      "): (typeof documents)["\n        query CredentialScopesKeyNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on ApiKey {\n              name\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation CredentialScopesCreateKey {\n          createApiKey(input: { name: \"w\" }) {\n            secret\n            apiKey {\n              name\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation CredentialScopesCreateKey {\n          createApiKey(input: { name: \"w\" }) {\n            secret\n            apiKey {\n              name\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query CredentialScopesAppNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on App {\n              name\n            }\n          }\n        }\n      "): (typeof documents)["\n        query CredentialScopesAppNode($id: ID!) {\n          node(id: $id) {\n            id\n            ... on App {\n              name\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation LiveShutdownRecordViews($events: [MetricEventInput!]!) {\n        recordMetrics(input: { events: $events }) {\n          accepted\n        }\n      }\n    "): (typeof documents)["\n      mutation LiveShutdownRecordViews($events: [MetricEventInput!]!) {\n        recordMetrics(input: { events: $events }) {\n          accepted\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      app {\n        id\n        clientId\n        name\n        status\n        isMine\n        redirectUris\n        scopes\n        category\n        homepageUrl\n        installCount\n      }\n      clientSecret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      app {\n        id\n        clientId\n        name\n        status\n        isMine\n        redirectUris\n        scopes\n        category\n        homepageUrl\n        installCount\n      }\n      clientSecret\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      app {\n        id\n        name\n        description\n        redirectUris\n        scopes\n        homepageUrl\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      app {\n        id\n        name\n        description\n        redirectUris\n        scopes\n        homepageUrl\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApp($id: ID!) {\n    deleteApp(input: { id: $id }) {\n      deletedAppId\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteApp($id: ID!) {\n    deleteApp(input: { id: $id }) {\n      deletedAppId\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppDirectory($first: Int, $after: String, $category: AppCategory, $search: String) {\n    appDirectory(first: $first, after: $after, category: $category, search: $search) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          installCount\n          isMine\n          redirectUris\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AppDirectory($first: Int, $after: String, $category: AppCategory, $search: String) {\n    appDirectory(first: $first, after: $after, category: $category, search: $search) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          installCount\n          isMine\n          redirectUris\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UninstallApp($id: ID!) {\n    uninstallApp(input: { appId: $id }) {\n      app {\n        id\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UninstallApp($id: ID!) {\n    uninstallApp(input: { appId: $id }) {\n      app {\n        id\n      }\n      userErrors {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query MyAppIds {\n          myApps {\n            id\n            clientId\n          }\n        }\n      "): (typeof documents)["\n        query MyAppIds {\n          myApps {\n            id\n            clientId\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query MyAppNames {\n          myApps {\n            id\n            name\n          }\n        }\n      "): (typeof documents)["\n        query MyAppNames {\n          myApps {\n            id\n            name\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AppNode($id: ID!) {\n        node(id: $id) {\n          ... on App {\n            name\n            redirectUris\n            isMine\n          }\n        }\n      }\n    "): (typeof documents)["\n      query AppNode($id: ID!) {\n        node(id: $id) {\n          ... on App {\n            name\n            redirectUris\n            isMine\n          }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VideosBatchingList($first: Int!) {\n    videos(first: $first) {\n      edges {\n        node {\n          id\n          title\n          owner {\n            id\n            email\n          }\n          stats {\n            views\n            engagementRate\n          }\n          publications {\n            platform\n            channel {\n              handle\n            }\n            stats {\n              views\n              likes\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VideosBatchingList($first: Int!) {\n    videos(first: $first) {\n      edges {\n        node {\n          id\n          title\n          owner {\n            id\n            email\n          }\n          stats {\n            views\n            engagementRate\n          }\n          publications {\n            platform\n            channel {\n              handle\n            }\n            stats {\n              views\n              likes\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query VideosBatchingNested {\n        videos(first: 100) {\n          edges {\n            node {\n              owner {\n                email\n              }\n              stats {\n                views\n              }\n              publications {\n                stats {\n                  views\n                }\n              }\n            }\n          }\n        }\n      }\n    "): (typeof documents)["\n      query VideosBatchingNested {\n        videos(first: 100) {\n          edges {\n            node {\n              owner {\n                email\n              }\n              stats {\n                views\n              }\n              publications {\n                stats {\n                  views\n                }\n              }\n            }\n          }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVideo($input: CreateVideoInput!) {\n    createVideo(input: $input) {\n      video {\n        id\n        title\n        description\n        url\n        tags\n        status\n        durationSeconds\n        publishedAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVideo($input: CreateVideoInput!) {\n    createVideo(input: $input) {\n      video {\n        id\n        title\n        description\n        url\n        tags\n        status\n        durationSeconds\n        publishedAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVideo($input: UpdateVideoInput!) {\n    updateVideo(input: $input) {\n      video {\n        id\n        title\n        url\n        tags\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateVideo($input: UpdateVideoInput!) {\n    updateVideo(input: $input) {\n      video {\n        id\n        title\n        url\n        tags\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishVideo($input: PublishVideoInput!) {\n    publishVideo(input: $input) {\n      video {\n        id\n        status\n        publishedAt\n        publications {\n          platform\n          channel {\n            platform\n          }\n        }\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PublishVideo($input: PublishVideoInput!) {\n    publishVideo(input: $input) {\n      video {\n        id\n        status\n        publishedAt\n        publications {\n          platform\n          channel {\n            platform\n          }\n        }\n      }\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteVideo($input: DeleteVideoInput!) {\n    deleteVideo(input: $input) {\n      deletedVideoId\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteVideo($input: DeleteVideoInput!) {\n    deleteVideo(input: $input) {\n      deletedVideoId\n      userErrors {\n        field\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateProfile {\n          updateProfile(input: { name: \"Ada\", timezone: \"Europe/Paris\", email: \"ADA@pulse.test\" }) {\n            user {\n              name\n              timezone\n              email\n            }\n            userErrors {\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateProfile {\n          updateProfile(input: { name: \"Ada\", timezone: \"Europe/Paris\", email: \"ADA@pulse.test\" }) {\n            user {\n              name\n              timezone\n              email\n            }\n            userErrors {\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateProfileToTakenEmail {\n          updateProfile(input: { email: \"Taken@pulse.test\" }) {\n            user {\n              email\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateProfileToTakenEmail {\n          updateProfile(input: { email: \"Taken@pulse.test\" }) {\n            user {\n              email\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateProfileToUnknownZone {\n          updateProfile(input: { timezone: \"Mars/Olympus\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateProfileToUnknownZone {\n          updateProfile(input: { timezone: \"Mars/Olympus\" }) {\n            userErrors {\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateProfileToEmptyName {\n          updateProfile(input: { name: \"  \" }) {\n            user {\n              name\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateProfileToEmptyName {\n          updateProfile(input: { name: \"  \" }) {\n            user {\n              name\n            }\n            userErrors {\n              field\n              code\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateSettingsTheme {\n          updateSettings(input: { theme: DARK }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n                emailNotifications\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateSettingsTheme {\n          updateSettings(input: { theme: DARK }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n                emailNotifications\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation UpdateSettingsDigest {\n          updateSettings(input: { weeklyDigest: false }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        mutation UpdateSettingsDigest {\n          updateSettings(input: { weeklyDigest: false }) {\n            user {\n              settings {\n                theme\n                weeklyDigest\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VideosPage(\n    $first: Int\n    $last: Int\n    $after: String\n    $before: String\n    $orderBy: VideoOrder\n    $filter: VideoFilter\n  ) {\n    videos(\n      first: $first\n      last: $last\n      after: $after\n      before: $before\n      orderBy: $orderBy\n      filter: $filter\n    ) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          title\n          tags\n          status\n          publishedAt\n          stats {\n            views\n            likes\n            comments\n            shares\n            engagementRate\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query VideosPage(\n    $first: Int\n    $last: Int\n    $after: String\n    $before: String\n    $orderBy: VideoOrder\n    $filter: VideoFilter\n  ) {\n    videos(\n      first: $first\n      last: $last\n      after: $after\n      before: $before\n      orderBy: $orderBy\n      filter: $filter\n    ) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          title\n          tags\n          status\n          publishedAt\n          stats {\n            views\n            likes\n            comments\n            shares\n            engagementRate\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation VideosCreateDrafts {\n        a: createVideo(input: { title: \"Draft A\" }) {\n          video {\n            id\n          }\n        }\n        b: createVideo(input: { title: \"Draft B\" }) {\n          video {\n            id\n          }\n        }\n      }\n    "): (typeof documents)["\n      mutation VideosCreateDrafts {\n        a: createVideo(input: { title: \"Draft A\" }) {\n          video {\n            id\n          }\n        }\n        b: createVideo(input: { title: \"Draft B\" }) {\n          video {\n            id\n          }\n        }\n      }\n    "];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;