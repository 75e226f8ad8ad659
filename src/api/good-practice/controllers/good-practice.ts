import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::good-practice.good-practice');
