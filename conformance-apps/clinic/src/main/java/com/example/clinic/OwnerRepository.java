package com.example.clinic;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.transaction.annotation.Transactional;

/** As petclinic's: read-only transactions for the finders, a paged search by last name. */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {

  @Transactional(readOnly = true)
  Page<Owner> findByLastNameStartingWith(String lastName, Pageable pageable);

  @Override
  @Transactional(readOnly = true)
  Optional<Owner> findById(Integer id);
}
