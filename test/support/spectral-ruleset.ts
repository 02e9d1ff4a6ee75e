import { oas } from '@stoplight/spectral-rulesets';

// Spectral's spectral:oas with every rule on (recommended or not). The only rules turned off, and why:
export const ruleset = {
  extends: [[oas as any, 'all']],
  rules: {
    // The service is internal to PLN and UNLICENSED (package.json): there is no licence to name or link.
    'info-license': 'off',
    'license-url': 'off',
    // No public contact address exists for an internal service; the team is reached through the repository.
    'contact-properties': 'off',
  },
};
