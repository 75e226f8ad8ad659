import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::thematic-table.thematic-table');
