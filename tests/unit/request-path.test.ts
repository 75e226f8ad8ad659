import { isGraphqlPath, publicApi, routerPath } from '../../src/edge/request-path/core';

describe('the path as the router sees it', () => {
  test('case, trailing slashes, duplicate slashes and percent-encoding make no difference', () => {
    for (const spelling of ['/graphql', '/GRAPHQL', '/graphql/', '/GraphQL//', '//graphql', '/%67raphql', '/%47RAPHQL/']) {
      expect(routerPath(spelling)).toBe('/graphql');
    }
    expect(routerPath('/API//Themes/')).toBe('/api/themes');
    expect(routerPath('/api%2Fthemes')).toBe('/api/themes');
    expect(routerPath('/')).toBe('/');
    expect(routerPath('//')).toBe('/');
    // Malformed percent-encoding is kept as the router gets it.
    expect(routerPath('/API/%E0%A4%A')).toBe('/api/%e0%a4%a');
  });

  test('the public APIs, however spelled; nothing else', () => {
    expect(publicApi('/GRAPHQL/', '/graphql')).toBe('graphql');
    expect(isGraphqlPath('/Graphql', '/graphql')).toBe(true);
    expect(publicApi('/API/themes', '/graphql')).toBe('rest');
    expect(publicApi('/OPEN-DATA/themes.csv', '/graphql')).toBe('open-data');
    expect(publicApi('/open-data/', '/graphql')).toBe('open-data');
    expect(publicApi('//FEEDS/it/themes/x.atom', '/graphql')).toBe('feeds');
    expect(publicApi('/feedsx', '/graphql')).toBeNull();
    expect(publicApi('/admin/users/me', '/graphql')).toBeNull();
    expect(publicApi('/apis', '/graphql')).toBeNull();
    expect(publicApi('/graphqlx', '/graphql')).toBeNull();
  });
});
